import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

import { fmt, measure, median, table } from "../lib.mjs";
import { alternate, failNote, pyChild, pythonOk, sections, summariesFor, target } from "../rounds.mjs";
import { connectionFile, dataDir, http, work } from "../session.mjs";
import { ACCOUNT, log, PYTHON, repoDir, SIZES } from "../setup.mjs";

/** Ten small files for the cold `ls` of scenarios 5 and 7. */
export const smallRemoteForCli = "/cli-ls";

export async function startup() {
  log("scenario 5: start-up of a cold process");
  await ensureCliFiles();
  const cli = locateCli();
  const cliEnv = cli.ok ? await prepareCli(cli) : undefined;
  const contenders = [
    {
      name: "`adl --version`",
      unavailable: cli.ok ? undefined : cli.why,
      run: () => measure(process.execPath, [cli.bin, "--version"], { env: cliEnv }),
    },
    {
      name: `\`adl fs ls ${smallRemoteForCli}\` (10 files)`,
      unavailable: cli.ok ? undefined : cli.why,
      run: () => measure(process.execPath, [cli.bin, ...cli.lsArgs(smallRemoteForCli)], { env: cliEnv }),
      after: async (_r, s) =>
        /file-9\.txt/.test(s.stdout ?? "")
          ? undefined
          : `unexpected output: ${(s.stdout ?? "").slice(0, 120)}`,
    },
    {
      name: "Python: import azure.datalake.store, print its version",
      unavailable: pythonOk ? undefined : "Python SDK not available",
      run: () => measure(PYTHON, [pyChild, JSON.stringify({ action: "version" })]),
    },
    {
      name: `Python: token + AzureDLFileSystem.ls(${smallRemoteForCli}) from a cold process`,
      unavailable: pythonOk ? undefined : "Python SDK not available",
      run: () =>
        measure(PYTHON, [
          pyChild,
          JSON.stringify({ action: "ls-cold", connectionFile, account: ACCOUNT, remote: smallRemoteForCli }),
        ]),
    },
    { name: "floor: `node -e 0`", run: () => measure(process.execPath, ["-e", "0"]) },
    { name: "floor: `python3 -c pass`", run: () => measure(PYTHON, ["-c", "pass"]) },
  ];
  // Start-up is the whole process: the wall time here, not a report from inside.
  const results = await alternate(contenders, SIZES.startupReps);
  for (const arr of results.values()) for (const x of arr) if (x.ok) x.seconds = x.wall;
  const s = summariesFor(results);
  const ref = s.get(contenders[0].name);
  const rows = contenders.map((c) => {
    const x = s.get(c.name);
    return [
      c.name + failNote(x),
      `${fmt(x.seconds * 1000, 0)} ms`,
      `${fmt(x.rssMiB, 0)} MiB`,
      fmt(x.samples.length ? median(x.samples.map((y) => y.processCpu)) * 1000 : NaN, 0),
      `${x.ok}/${x.n}`,
    ];
  });
  sections.push(
    `## 5. Start-up of a cold process\n\n${table(["command", "median wall time", "peak RSS", "CPU ms", "ok runs"], rows)}\n\n` +
      `Wall time from spawn to exit, ${SIZES.startupReps} alternating runs each. ${cli.note ?? ""}`,
  );
  target(
    "`adl --version` under 100 ms median",
    cli.ok ? `${fmt(ref.seconds * 1000, 0)} ms` : cli.why,
    cli.ok && ref.ok ? ref.seconds < 0.1 : undefined,
  );
}

export function locateCli() {
  const dir = path.join(repoDir, "packages/cli");
  try {
    const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
    const binRel = typeof pkg.bin === "string" ? pkg.bin : pkg.bin?.adl;
    if (!binRel) return { ok: false, why: "@adlkit/cli declares no `adl` bin yet (not measured)" };
    const bin = path.join(dir, binRel);
    if (!existsSync(bin))
      return { ok: false, why: `${path.relative(repoDir, bin)} is not built (not measured)` };
    return { ok: true, bin, dir, lsArgs: (p) => ["fs", "ls", p] };
  } catch (err) {
    return { ok: false, why: `@adlkit/cli not found: ${err.message}` };
  }
}

let cliFiles;
/** The ten small files a cold `adl fs ls` lists (made once per run). */
export function ensureCliFiles() {
  cliFiles ??= (async () => {
    for (let i = 0; i < 10; i++)
      await http.ok(
        "PUT",
        `${smallRemoteForCli}/file-${i}.txt`,
        { op: "CREATE", overwrite: "true", write: "true" },
        Buffer.from(`hello ${i}\n`),
      );
  })();
  return cliFiles;
}

let cliEnv;
/** Points the CLI at the emulator (once per run): a profile from the emulator's connection.json, in a private config dir. */
export function prepareCli(cli) {
  cliEnv ??= addProfile(cli);
  return cliEnv;
}

async function addProfile(cli) {
  const env = { ADL_CONFIG_DIR: path.join(work, "cli-config"), NO_COLOR: "1" };
  const add = await measure(
    process.execPath,
    [cli.bin, "profile", "add", "bench", "--from-emulator", dataDir, "--account", ACCOUNT, "--use"],
    { env },
  );
  if (!add.ok)
    cli.note = `\`adl profile add bench --from-emulator DIR --account ${ACCOUNT} --use\` failed: ${add.error}`;
  return env;
}
