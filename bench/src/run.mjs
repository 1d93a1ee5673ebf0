#!/usr/bin/env node
// adlkit benchmark harness (issues 8, 20 and 22): @adlkit/fs-client and the `adl` CLI vs the official Python SDK vs raw
// curl, side by side, alternating runs on one private emulator (a child process) on loopback. See ../README.md.
//
//   node src/run.mjs [--quick] [--reps N] [--only 1,2,...] [--no-build] [--out FILE] [--profile DIR] [--keep]
//
// setup.mjs reads the options and builds what is measured; session.mjs starts the emulator; rounds.mjs runs
// contenders in alternating rounds; scenarios/ holds one file per scenario.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { closeGen2 } from "./gen2-session.mjs";
import { fmt, GiB, TIME_BIN, table } from "./lib.mjs";
import { sections, targets } from "./rounds.mjs";
import { download } from "./scenarios/download.mjs";
import { emulatorLoad } from "./scenarios/emulator-load.mjs";
import { gen2Download } from "./scenarios/gen2-download.mjs";
import { gen2Targets } from "./scenarios/gen2-targets.mjs";
import { gen2Upload } from "./scenarios/gen2-upload.mjs";
import { list } from "./scenarios/list.mjs";
import { migration } from "./scenarios/migration.mjs";
import { smallFiles } from "./scenarios/small-files.mjs";
import { startup } from "./scenarios/startup.mjs";
import { bigFile } from "./scenarios/transfer.mjs";
import { transferTargets } from "./scenarios/transfer-targets.mjs";
import { upload } from "./scenarios/upload.mjs";
import { userPath } from "./scenarios/user-path.mjs";
import { cleanup, http } from "./session.mjs";
import {
  autocannonVersion,
  curlVersion,
  datalakeSdkVersion,
  gitRev,
  loadAtStart,
  log,
  notes,
  ONLY,
  OUT,
  pkgVersion,
  pyGen2Versions,
  pyVersions,
  QUICK,
  REPS,
  SIZES,
  startedAt,
  THREADS,
} from "./setup.mjs";

if (ONLY.has(1)) await upload();
if (ONLY.has(2)) await download();
transferTargets();
if (ONLY.has(7)) await userPath();
if (ONLY.has(8)) await gen2Upload();
if (ONLY.has(9)) await gen2Download();
gen2Targets();
if (ONLY.has(10)) await migration();
rmSync(bigFile, { force: true });
if (ONLY.has(3)) await list();
if (ONLY.has(4)) await smallFiles();
if (ONLY.has(5)) await startup();
if (ONLY.has(6)) await emulatorLoad();

// ---- report -----------------------------------------------------------------------------------------------------
http.close();
closeGen2();
await cleanup();
const cpus = os.cpus();
const header = [
  `# adlkit benchmarks${QUICK ? " (quick mode: small sizes, for development only)" : ""}`,
  "",
  `- Date: ${new Date().toISOString().replace("T", " ").slice(0, 16)} UTC`,
  `- Machine: ${cpus[0]?.model ?? "unknown CPU"}, ${cpus.length} cores, ${fmt(os.totalmem() / GiB, 0)} GiB RAM, ${os.type()} ${os.release()}; load average ${loadAtStart.map((x) => fmt(x)).join(", ")} at start and ${os
    .loadavg()
    .map((x) => fmt(x))
    .join(", ")} at the end (the machine is shared, so absolute times drift; ratios hold better)`,
  `- Versions: Node ${process.version}; @adlkit/fs-client ${pkgVersion("packages/fs-client")}, @adlkit/emulator ${pkgVersion("packages/emulator")} at ${gitRev}; ${pyVersions ?? "Python SDK: not available"}; @azure/storage-file-datalake ${datalakeSdkVersion}; ${pyGen2Versions ?? "Python Gen2 SDK: not available"}; ${curlVersion ?? "curl: not installed"}; autocannon ${autocannonVersion}`,
  `- Method: one emulator child process on 127.0.0.1 (TLS); every contender is a separate child process run ${REPS} times, alternating (the order rotates), and the table shows medians. Time and client CPU are measured inside the child around the operation (after start-up and token acquisition); peak RSS is the whole child process (${TIME_BIN ? "`/usr/bin/time -f %M`" : "its own getrusage"}). The Python SDK gets the same thread count as our concurrency (${THREADS}). "time ÷ ours" above 1 means ours is faster. The targets also give each ratio per round (the runs of one rotation, a few minutes apart at most): the spread a median hides. Client and emulator share the machine's ${cpus.length} cores.`,
  `- Run: ${REPS} alternating run${REPS === 1 ? "" : "s"} per contender (${SIZES.startupReps} for start-up), ${fmt((Date.now() - startedAt) / 60_000, 1)} minutes in all`,
  ...notes.map((n) => `- Note: ${n}`),
  "",
  `## Targets (issues 8, 20 and 22)\n\n${table(
    ["target", "measured", "result", "what explains a miss"],
    targets,
  )}`,
  "",
];
const doc = `${header.join("\n")}\n${sections.join("\n\n")}\n`;
mkdirSync(path.dirname(OUT), { recursive: true });
writeFileSync(OUT, doc);
process.stdout.write(doc);
log(`written to ${path.relative(process.cwd(), OUT)}`);
