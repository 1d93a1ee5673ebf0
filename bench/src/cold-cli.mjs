// Cold one-shot commands (issue 20, "Cold commands"): `adl fs ls|stat|cat` as new processes against the Python
// SDK doing the same from a new process (token + one call), on one private emulator, alternating, medians.
// The CLI runs with its persistent token cache as a user has it (the first, unmeasured warm-up run fills it);
// the rows "no token cache" show the same command with `--no-token-cache`, what a first run costs.
// Also counts the requests one cold `adl fs ls` sends (the emulator's journal).
//
//   node bench/src/cold-cli.mjs [--runs 20] [--warmup 3]        (after `pnpm build`)
// Prints a markdown section on stdout; progress on stderr.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { fmt, measure, median, table } from "./lib.mjs";

const { values: opts } = parseArgs({
  options: { runs: { type: "string", default: "20" }, warmup: { type: "string", default: "3" } },
});
const RUNS = Number(opts.runs);
const WARMUP = Number(opts.warmup);
const here = path.dirname(fileURLToPath(import.meta.url));
const repoDir = path.resolve(here, "../..");
const PYTHON = "/usr/bin/python3";
const ACCOUNT = "coldacct";
const log = (m) => process.stderr.write(`[cold] ${m}\n`);

const work = mkdtempSync(path.join(os.tmpdir(), "adl-cold-"));
const dataDir = path.join(work, "emulator");
mkdirSync(dataDir);
const configFile = path.join(work, "emulator.json");
writeFileSync(configFile, JSON.stringify({ accounts: [ACCOUNT], tokenLifetimeSeconds: 4 * 3600 }));
const emulator = spawn(
  process.execPath,
  [
    path.join(repoDir, "packages/emulator/dist/bin.js"),
    "start",
    "--port",
    "0",
    "--data",
    dataDir,
    "--config",
    configFile,
  ],
  { stdio: ["ignore", "pipe", "inherit"] },
);
const cleanup = () => {
  if (emulator.exitCode === null) emulator.kill("SIGTERM");
  rmSync(work, { recursive: true, force: true });
};
process.on("exit", cleanup);
await new Promise((resolve, reject) => {
  let out = "";
  emulator.stdout.on("data", (d) => {
    out += d;
    if (/\(port (\d+)\)/.test(out)) resolve();
  });
  emulator.once("exit", (code) => reject(new Error(`the emulator exited with ${code}: ${out}`)));
});
emulator.stdout.resume();
const connectionFile = path.join(dataDir, "connection.json");
const connection = JSON.parse(readFileSync(connectionFile, "utf8"));
const caPem = readFileSync(connection.caCertificatePath, "utf8");

/** The emulator's admin API: the journal of requests (method, path, op; never tokens). */
function admin(method, p) {
  return new Promise((resolve, reject) => {
    const req = https.request(
      `${connection.url}${p}`,
      { method, ca: caPem, headers: { "x-adl-emulator-key": connection.adminKey } },
      (res) => {
        let body = "";
        res.on("data", (d) => {
          body += d;
        });
        res.on("end", () => resolve(body ? JSON.parse(body) : {}));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

const bin = path.join(repoDir, "packages/cli/bundle/bin.js");
const env = { ADL_CONFIG_DIR: path.join(work, "cli-config"), NO_COLOR: "1" };
const adl = (...args) => [process.execPath, [bin, ...args], { env }];
async function must(cmd, args, o) {
  const r = await measure(cmd, args, o);
  if (!r.ok) throw new Error(`${path.basename(cmd)} ${args.join(" ")}: ${r.error}`);
  return r;
}
await must(...adl("profile", "add", "cold", "--from-emulator", dataDir, "--account", ACCOUNT, "--use"));
const local = path.join(work, "small.txt");
writeFileSync(local, "a small file\n");
await must(...adl("fs", "mkdir", "/cold"));
for (let i = 0; i < 10; i++) await must(...adl("fs", "put", local, `/cold/file-${i}.txt`));

const py = (action, remote) => [
  PYTHON,
  [path.join(here, "py_child.py"), JSON.stringify({ action, connectionFile, account: ACCOUNT, remote })],
  {},
];
const contenders = [
  { name: "`adl fs ls /cold` (10 files)", cmd: adl("fs", "ls", "/cold"), pair: "ls" },
  { name: "`adl fs stat /cold/file-0.txt`", cmd: adl("fs", "stat", "/cold/file-0.txt"), pair: "stat" },
  { name: "`adl fs cat /cold/file-0.txt`", cmd: adl("fs", "cat", "/cold/file-0.txt"), pair: "cat" },
  { name: "`adl fs ls /cold --no-token-cache`", cmd: adl("fs", "ls", "/cold", "--no-token-cache") },
  { name: "Python: token + `ls(detail=True)`", cmd: py("ls-cold", "/cold"), python: "ls" },
  { name: "Python: token + `info()`", cmd: py("stat-cold", "/cold/file-0.txt"), python: "stat" },
  { name: "Python: token + `cat()`", cmd: py("cat-cold", "/cold/file-0.txt"), python: "cat" },
  { name: "`adl --version`", cmd: adl("--version") },
  { name: "floor: `node -e 0`", cmd: [process.execPath, ["-e", "0"], {}] },
  { name: "floor: `python3 -c pass`", cmd: [PYTHON, ["-c", "pass"], {}] },
];

// The requests of one cold `adl fs ls` with a filled cache, and of one without it.
await admin("DELETE", "/_emulator/journal");
await must(...adl("fs", "ls", "/cold"));
const warmOps = requestOps(await admin("GET", "/_emulator/journal"));
await admin("DELETE", "/_emulator/journal");
await must(...adl("fs", "ls", "/cold", "--no-token-cache"));
const coldOps = requestOps(await admin("GET", "/_emulator/journal"));

const samples = new Map(contenders.map((c) => [c.name, []]));
for (let round = -WARMUP; round < RUNS; round++) {
  // Rotate the order each round, so no contender always runs right after the same other one.
  const shift = ((round % contenders.length) + contenders.length) % contenders.length;
  for (const c of [...contenders.slice(shift), ...contenders.slice(0, shift)]) {
    const r = await must(...c.cmd);
    if (round >= 0) samples.get(c.name).push(r.wall * 1000);
  }
  if (round >= 0 && round % 5 === 4) log(`round ${round + 1}/${RUNS}`);
}

const ms = (name) => median(samples.get(name));
const spread = (name) => {
  const v = [...samples.get(name)].sort((a, b) => a - b);
  return `${fmt(v[Math.floor(v.length * 0.1)], 0)}–${fmt(v[Math.ceil(v.length * 0.9) - 1], 0)}`;
};
const rows = contenders.map((c) => {
  const python = c.pair && contenders.find((p) => p.python === c.pair);
  const ratio = python ? ms(c.name) / ms(python.name) : undefined;
  return [
    c.name,
    `${fmt(ms(c.name), 0)} ms`,
    spread(c.name),
    ratio === undefined ? "" : `${fmt(ratio)}× ${ratio <= 0.6 ? "(met)" : "(not met)"}`,
  ];
});
process.stdout.write(
  `## Cold one-shot commands\n\n${table(["command (a new process each run)", "median wall", "p10–p90 ms", "÷ Python (target ≤ 0.6)"], rows)}\n\n` +
    `${RUNS} alternating rounds after ${WARMUP} warm-up rounds, wall time from spawn to exit. Requests of one ` +
    `\`adl fs ls\`: with the token cache ${warmOps.join(", ")}; with \`--no-token-cache\` ${coldOps.join(", ")}.\n`,
);
emulator.kill("SIGTERM");

/** The operations of a journal, without the admin API's own requests. */
function requestOps(journal) {
  return journal.entries.map((e) => e.op ?? e.path).filter((op) => !op.startsWith("admin:"));
}
