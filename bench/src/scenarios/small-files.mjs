import { randomFillSync } from "node:crypto";
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

import { fmt, KiB, median, table } from "../lib.mjs";
import {
  alternate,
  aside,
  emulatorPeak,
  failNote,
  perRound,
  requestList,
  runOurs,
  runPython,
  sections,
  summariesFor,
  target,
} from "../rounds.mjs";
import { remoteDelete, work } from "../session.mjs";
import { log, REPS, SIZES, THREADS } from "../setup.mjs";

export async function smallFiles() {
  const M = SIZES.smallFiles;
  log(`scenario 4: ${M} files of 4 KiB, uploaded then stat-ed`);
  const localDir = path.join(work, "small");
  mkdirSync(localDir);
  const buf = Buffer.allocUnsafe(4 * KiB);
  for (let i = 0; i < M; i++) {
    randomFillSync(buf);
    writeFileSync(path.join(localDir, `f${String(i).padStart(5, "0")}.bin`), buf);
  }
  const stray = () => {
    const names = readdirSync(localDir);
    return names.length === M
      ? undefined
      : `the local folder now holds ${names.length} entries (state files left?)`;
  };
  const mk = (who) => ({
    name:
      who === "ours"
        ? `@adlkit/fs-client put(dir) + stat each (concurrency ${THREADS})`
        : who === "writeFile"
          ? `diagnostic: @adlkit/fs-client writeFile() per file (one CREATE each, ${THREADS} workers) + stat each`
          : `Python SDK ADLUploader(dir) + info each (nthreads=${THREADS}, ${THREADS} stat threads)`,
    remote: `/small/${who}`,
    before: () => remoteDelete(`/small/${who}`),
    run: () =>
      who === "python"
        ? runPython({ action: "small", local: localDir, remote: `/small/${who}`, nthreads: THREADS })
        : runOurs({
            action: "small",
            mode: who === "writeFile" ? "writeFile" : "put",
            local: localDir,
            remote: `/small/${who}`,
            concurrency: THREADS,
          }),
    after: async (_rep, s) =>
      s.report?.stated === M ? stray() : `stat-ed ${s.report?.stated} of ${M} files`,
  });
  const contenders = [mk("ours"), mk("python"), mk("writeFile")];
  const results = await alternate(contenders, REPS);
  const s = summariesFor(results);
  const [o, p] = contenders.map((c) => s.get(c.name));
  // (the third row is a diagnostic: what one CREATE per file would give; it is not a target contender)
  const rows = contenders.map((c) => {
    const x = s.get(c.name);
    const up = median(x.samples.map((y) => y.report?.uploadSeconds));
    const st = median(x.samples.map((y) => y.report?.statSeconds));
    return [
      c.name + failNote(x),
      `${fmt(x.seconds, 3)} s`,
      fmt(x.seconds / o.seconds),
      `${fmt(M / x.seconds, 0)} files/s`,
      `${fmt(M / up, 0)} / ${fmt(M / st, 0)}`,
      `${fmt(x.rssMiB, 0)} MiB`,
      fmt(x.cpu),
      fmt(x.emuCpu),
      `${x.ok}/${x.n}`,
    ];
  });
  sections.push(
    `## 4. ${M.toLocaleString("en-US")} small files (4 KiB): upload, then stat each\n\n${table(
      [
        "contender",
        "median time",
        "time ÷ ours",
        "files/s (both phases)",
        "files/s upload / stat",
        "peak client RSS",
        "client CPU-s",
        "emulator CPU-s",
        "ok runs",
      ],
      rows,
    )}\n\nEach run uploads the folder to a freshly deleted remote folder, then stats every file with ${THREADS} workers. The diagnostic row uses the same client's \`writeFile()\` (CREATE with the bytes) per file instead of \`put()\`, to show what a single-request path for small files would give. ${emulatorPeak()}\n\n${requestList(s)}`,
  );
  target(
    `${M.toLocaleString("en-US")} small files: ≥ 3x Python's files per second`,
    `${fmt(p.seconds / o.seconds)}x${aside(
      `${fmt(M / o.seconds, 0)} vs ${fmt(M / p.seconds, 0)} files/s`,
      perRound(o, p, (x, y) => y.seconds / x.seconds),
    )}`,
    Number.isFinite(p.seconds / o.seconds) ? p.seconds / o.seconds >= 3 : undefined,
  );
  await remoteDelete("/small");
  rmSync(localDir, { recursive: true, force: true });
}
