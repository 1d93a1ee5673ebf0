#!/usr/bin/env node
// adlkit benchmark harness (issue 8): @adlkit/fs-client vs the official Python SDK vs raw curl, side by side,
// alternating runs on one private emulator (a child process) on loopback. See ../README.md.
//
//   node src/run.mjs [--quick] [--reps N] [--only 1,2,...] [--no-build] [--out FILE] [--profile DIR] [--keep]
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { createHash, randomFillSync } from "node:crypto";
import {
  closeSync,
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import {
  fmt,
  GiB,
  KiB,
  MiB,
  makeHttp,
  max,
  measure,
  median,
  pool,
  probe,
  procCpuSeconds,
  procPeakRssKiB,
  resetPeakRss,
  TIME_BIN,
  table,
} from "./lib.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const benchDir = path.resolve(here, "..");
const repoDir = path.resolve(benchDir, "..");
const PYTHON = "/usr/bin/python3";

const { values: opts } = parseArgs({
  // `pnpm bench -- --quick` forwards the "--" too.
  args: process.argv.slice(2).filter((a) => a !== "--"),
  options: {
    quick: { type: "boolean", default: false },
    reps: { type: "string" },
    only: { type: "string" },
    "no-build": { type: "boolean", default: false },
    out: { type: "string" },
    profile: { type: "string" },
    keep: { type: "boolean", default: false },
    "big-mib": { type: "string" },
    entries: { type: "string" },
    files: { type: "string" },
  },
});
const QUICK = opts.quick;
const SIZES = QUICK
  ? { big: 64 * MiB, entries: 2_000, smallFiles: 200, reps: 2, startupReps: 5, loadSeconds: 3 }
  : { big: 1 * GiB, entries: 100_000, smallFiles: 5_000, reps: 5, startupReps: 10, loadSeconds: 10 };
if (opts["big-mib"]) SIZES.big = Number(opts["big-mib"]) * MiB;
if (opts.entries) SIZES.entries = Number(opts.entries);
if (opts.files) SIZES.smallFiles = Number(opts.files);
const REPS = opts.reps ? Number(opts.reps) : SIZES.reps;
const ONLY = new Set((opts.only ?? "1,2,3,4,5,6").split(",").map(Number));
const OUT = path.resolve(opts.out ?? path.join(benchDir, "results", QUICK ? "quick.md" : "latest.md"));
const THREADS = 8; // our client's default concurrency; the Python SDK gets the same nthreads
const ACCOUNT = "bench";
const log = (...a) =>
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${a.join(" ")}\n`);

// ---- build (dependencies only; bench itself is plain .mjs) ------------------------------------------------
const notes = [];
if (!opts["no-build"]) {
  log("building @adlkit/bench's workspace dependencies and @adlkit/cli (turbo)");
  const r = spawnSync(
    "pnpm",
    [
      "exec",
      "turbo",
      "run",
      "build",
      "--filter=@adlkit/bench^...",
      "--filter=@adlkit/cli",
      "--output-logs=errors-only",
    ],
    {
      cwd: repoDir,
      stdio: ["ignore", "inherit", "inherit"],
    },
  );
  if (r.status !== 0)
    notes.push("The dependencies' build failed; the run used the dist/ folders already present.");
}

// ---- versions and machine ----------------------------------------------------------------------------------
const pkgVersion = (dir) => JSON.parse(readFileSync(path.join(repoDir, dir, "package.json"), "utf8")).version;
const curlVersion = probe("curl", ["--version"])?.split("\n")[0];
const pyVersions = probe(PYTHON, [
  "-c",
  "import sys, azure.datalake.store as s, adal, requests; print('Python %s, azure-datalake-store %s, adal %s, requests %s' % (sys.version.split()[0], s.__version__, adal.__version__, requests.__version__))",
]);
const autocannonVersion = JSON.parse(
  readFileSync(path.join(benchDir, "node_modules/autocannon/package.json"), "utf8"),
).version;
const gitRev = (() => {
  try {
    const rev = execFileSync("git", ["rev-parse", "--short", "HEAD"], {
      cwd: repoDir,
      encoding: "utf8",
    }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "packages"], {
      cwd: repoDir,
      encoding: "utf8",
    }).trim();
    return dirty ? `${rev} (packages/ has uncommitted changes by colleagues)` : rev;
  } catch {
    return "unknown";
  }
})();
const loadAtStart = os.loadavg();
const startedAt = Date.now();

// ---- work directories and the emulator child -----------------------------------------------------------------
const work = mkdtempSync(path.join(os.tmpdir(), "adl-bench-"));
const dataDir = path.join(work, "emulator");
mkdirSync(dataDir);
const configFile = path.join(work, "emulator.json");
writeFileSync(configFile, JSON.stringify({ accounts: [ACCOUNT], tokenLifetimeSeconds: 4 * 3600 }));
const emulatorBin = path.join(repoDir, "packages/emulator/dist/bin.js");
const profileDir = opts.profile ? path.resolve(opts.profile) : undefined;
if (profileDir) mkdirSync(profileDir, { recursive: true });
const nodeFlags = (who) => (profileDir ? ["--cpu-prof", `--cpu-prof-dir=${path.join(profileDir, who)}`] : []);

log(`work dir ${work}; starting the emulator`);
const emulator = spawn(
  process.execPath,
  [...nodeFlags("emulator"), emulatorBin, "start", "--port", "0", "--data", dataDir, "--config", configFile],
  { stdio: ["ignore", "pipe", "inherit"] },
);
const port = await new Promise((resolve, reject) => {
  let out = "";
  emulator.stdout.on("data", (d) => {
    out += d;
    const m = /\(port (\d+)\)/.exec(out);
    if (m) resolve(Number(m[1]));
  });
  emulator.once("exit", (code) => reject(new Error(`the emulator exited with ${code}: ${out}`)));
});
emulator.stdout.resume();
const connectionFile = path.join(dataDir, "connection.json");
const connection = JSON.parse(readFileSync(connectionFile, "utf8"));
const caPem = readFileSync(connection.caCertificatePath, "utf8");
log(`emulator pid ${emulator.pid} on port ${port}`);

resetPeakRss(emulator.pid);

// A do-nothing HTTPS server (same certificate) for reference rows: the TLS + HTTP ceiling without the emulator.
const nullServer = spawn(process.execPath, [path.join(here, "null-server.mjs"), path.join(dataDir, "tls")], {
  stdio: ["ignore", "pipe", "inherit"],
});
const nullPort = await new Promise((resolve, reject) => {
  let out = "";
  nullServer.stdout.on("data", (d) => {
    out += d;
    const m = /port (\d+)/.exec(out);
    if (m) resolve(Number(m[1]));
  });
  nullServer.once("exit", (code) => reject(new Error(`the null server exited with ${code}`)));
});
// Whatever happens to this process, its children go too.
process.on("exit", () => {
  for (const child of [emulator, nullServer]) if (child.exitCode === null) child.kill("SIGKILL");
  if (!opts.keep) rmSync(work, { recursive: true, force: true });
});
for (const signal of ["SIGTERM", "SIGHUP", "SIGPIPE"]) process.on(signal, () => process.exit(1));

let cleanedUp = false;
async function cleanup() {
  if (cleanedUp) return;
  cleanedUp = true;
  nullServer.kill("SIGTERM");
  emulator.kill("SIGTERM");
  await new Promise((r) => {
    const t = setTimeout(() => {
      emulator.kill("SIGKILL");
      r(undefined);
    }, 10_000);
    emulator.once("exit", () => {
      clearTimeout(t);
      r(undefined);
    });
  });
  if (!opts.keep) rmSync(work, { recursive: true, force: true });
}
process.on("SIGINT", () => cleanup().then(() => process.exit(130)));

// A token for curl and for setup requests (the contenders fetch their own).
let token = "";
async function refreshToken() {
  const body = new URLSearchParams({
    grant_type: "client_credentials",
    client_id: connection.clientId,
    client_secret: connection.clientSecret,
    resource: "https://datalake.azure.net/",
  }).toString();
  const https = await import("node:https");
  token = await new Promise((resolve, reject) => {
    const req = https.request(
      `${connection.url}/${connection.tenantId}/oauth2/token`,
      { method: "POST", ca: caPem, headers: { "content-type": "application/x-www-form-urlencoded" } },
      (res) => {
        let text = "";
        res.on("data", (d) => (text += d));
        res.on("end", () => {
          try {
            resolve(JSON.parse(text).access_token);
          } catch {
            reject(new Error(`token: ${res.statusCode} ${text.slice(0, 200)}`));
          }
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}
await refreshToken();
const http = makeHttp({ port, caPem, token: () => token, account: ACCOUNT });
const fsUrl = (p, query, on = port) =>
  `https://127.0.0.1:${on}/${ACCOUNT}/webhdfs/v1${p}?${new URLSearchParams(query)}`;

async function remoteLength(p) {
  const r = await http.call("GET", p, { op: "GETFILESTATUS" });
  return r.status === 200 ? JSON.parse(r.text).FileStatus.length : -1;
}
async function remoteDelete(p) {
  await http.call("DELETE", p, { op: "DELETE", recursive: "true" });
}
/**
 * Writes every dirty page of the sources just prepared to disk (untimed). Otherwise the kernel writes them back
 * (2 GiB: the source and curl's parts) during the first round, whose first contender is always ours (seen at
 * 10:00: ours' first upload 2.6 s and 1.24 CPU-s against 1.7-2.2 s and ~1.0 in its other runs; the emulator's
 * CPU and Python's first runs were up as well).
 */
function flushToDisk() {
  log("flushing the sources to disk");
  execFileSync("sync");
}

/** Reads a remote file once and drops the bytes (untimed). */
async function readOnce(p) {
  const https = await import("node:https");
  await new Promise((resolve, reject) => {
    const headers = { authorization: `Bearer ${token}` };
    https
      .get(fsUrl(p, { op: "OPEN", read: "true" }), { ca: caPem, headers }, (res) => {
        if (res.statusCode !== 200) reject(new Error(`OPEN ${p} answered ${res.statusCode}`));
        res.on("data", () => {});
        res.on("end", resolve);
        res.on("error", reject);
      })
      .on("error", reject);
  });
}

/** Filesystem requests since the journal was cleared, by operation ("OPEN 256, CREATE 1"); capped at 20,000. */
async function journalCounts() {
  try {
    const { entries } = await http.admin("GET", "journal", connection.adminKey);
    const counts = new Map();
    for (const e of entries)
      if (e.account === ACCOUNT || /webhdfs/.test(e.path))
        counts.set(e.op ?? e.path, (counts.get(e.op ?? e.path) ?? 0) + 1);
    const text = [...counts]
      .sort((a, b) => b[1] - a[1])
      .map(([op, n]) => `${op} ${n}`)
      .join(", ");
    return entries.length >= 20_000 ? `≥ ${text} (journal full)` : text;
  } catch (err) {
    return `journal unavailable: ${err.message}`;
  }
}

// ---- contenders -------------------------------------------------------------------------------------------
const oursChild = path.join(here, "ours-child.mjs");
const pyChild = path.join(here, "py_child.py");
const pythonOk = Boolean(pyVersions);
const curlOk = Boolean(curlVersion);

function runOurs(args) {
  return measure(process.execPath, [
    ...nodeFlags("client"),
    oursChild,
    JSON.stringify({ connectionFile, account: ACCOUNT, ...args }),
  ]);
}
function runPython(args) {
  if (!pythonOk)
    return Promise.resolve({
      ok: false,
      error: `${PYTHON} with azure-datalake-store and adal is not available`,
      wall: NaN,
    });
  return measure(PYTHON, [pyChild, JSON.stringify({ connectionFile, account: ACCOUNT, ...args })]);
}

/**
 * One sample from a measured child: the operation's time (the child's own report, else wall), client CPU
 * (the child's report around the operation, else /usr/bin/time's whole-process figure), peak RSS
 * (/usr/bin/time, else the child's own maxRSS) and the emulator's CPU seconds meanwhile.
 */
function sample(m, emuCpu) {
  return {
    ok: m.ok,
    error: m.error,
    seconds: m.report?.seconds ?? m.wall,
    wall: m.wall,
    cpu: m.report?.cpuSeconds ?? m.cpu,
    processCpu: m.cpu,
    rssKiB: m.rssKiB ?? m.report?.maxRssKiB,
    emuCpu,
    report: m.report,
    stdout: m.stdout,
  };
}

/**
 * Runs every contender `reps` times, alternating (the order rotates each repetition).
 * contender: { name, run(rep) -> measure result, before?(rep), after?(rep, sample) -> error string | undefined }
 */
async function alternate(contenders, reps) {
  const results = new Map(contenders.map((c) => [c.name, []]));
  for (let rep = 0; rep < reps; rep++) {
    const order = contenders.map((_, i) => contenders[(i + rep) % contenders.length]);
    for (const c of order) {
      if (c.unavailable) {
        results.get(c.name).push({ ok: false, error: c.unavailable });
        continue;
      }
      await c.before?.(rep);
      await http.admin("DELETE", "journal", connection.adminKey);
      const cpu0 = procCpuSeconds(emulator.pid);
      const m = await c.run(rep);
      const s = sample(m, procCpuSeconds(emulator.pid) - cpu0);
      s.requests = await journalCounts();
      if (s.ok && c.after) {
        const problem = await c.after(rep, s);
        if (problem) Object.assign(s, { ok: false, error: problem });
      }
      log(
        `  ${c.name} #${rep + 1}: ${s.ok ? `${fmt(s.seconds, 3)} s, cpu ${fmt(s.cpu)} s (user ${fmt(s.report?.cpuUser)}), rss ${fmt(s.rssKiB / 1024, 0)} MiB, emulator cpu ${fmt(s.emuCpu)} s` : `FAILED ${s.error}`}`,
      );
      if (process.env.BENCH_DEBUG && s.report) log(`    report: ${JSON.stringify(s.report)}`);
      results.get(c.name).push(s);
    }
  }
  return results;
}

/** Which filesystem requests each contender sent in its first successful run (from the emulator's journal). */
function requestList(summaries) {
  return `Requests of one run (the emulator's journal):\n\n${[...summaries]
    .filter(([name]) => !name.startsWith("reference"))
    .map(([name, x]) => `- ${name}: ${x.requests || "n/a"}`)
    .join("\n")}`;
}

/** The emulator's peak RSS since the last call (the peak is reset each time), as a sentence. */
function emulatorPeak() {
  const kib = procPeakRssKiB(emulator.pid);
  resetPeakRss(emulator.pid);
  return `Emulator peak RSS during this scenario: ${fmt(kib / 1024, 0)} MiB.`;
}

/** Median/peaks of one contender's samples. */
function summarize(samples) {
  const ok = samples.filter((s) => s.ok);
  return {
    n: samples.length,
    ok: ok.length,
    seconds: median(ok.map((s) => s.seconds)),
    cpu: median(ok.map((s) => s.cpu)),
    rssMiB: max(ok.map((s) => s.rssKiB)) / 1024,
    emuCpu: median(ok.map((s) => s.emuCpu)),
    errors: [...new Set(samples.filter((s) => !s.ok).map((s) => s.error))],
    requests: ok[0]?.requests,
    samples: ok,
    rounds: samples, // every run in round order, failed ones included, so runs of one round can be paired
  };
}

/**
 * The spread behind a median ratio: `value(a, b)` for each round in which both contenders' runs succeeded (they ran
 * minutes apart at most), as "per round lo to hi", or "" with fewer than two such rounds.
 */
function perRound(a, b, value, digits = 2, unit = "") {
  const values = a.rounds
    .map((x, i) => [x, b.rounds[i]])
    .filter(([x, y]) => x?.ok && y?.ok)
    .map(([x, y]) => value(x, y))
    .filter(Number.isFinite);
  if (values.length < 2) return "";
  const show = (x) => fmt(x, digits).replace(/^-(0(\.0+)?)$/, "$1"); // no "-0"
  return `per round ${show(Math.min(...values))} to ${show(Math.max(...values))}${unit}`;
}

/** `parts` that are not empty, joined by "; " and in parentheses; "" when none is left. */
const aside = (...parts) => (parts.some(Boolean) ? ` (${parts.filter(Boolean).join("; ")})` : "");

const sections = [];
const targets = []; // { target, measured, met }
const failNote = (s) => (s.errors.length ? ` — failed ${s.n - s.ok}/${s.n}: ${s.errors.join("; ")}` : "");
function target(name, measured, met, why = "") {
  targets.push([name, measured, met === undefined ? "not measured" : met ? "**met**" : "**missed**", why]);
}

// ---- data files ---------------------------------------------------------------------------------------------
function writeRandomFile(file, size) {
  const fd = openSync(file, "w");
  const block = Buffer.allocUnsafe(4 * MiB);
  for (let done = 0; done < size; ) {
    const n = Math.min(block.length, size - done);
    randomFillSync(block, 0, n);
    writeSync(fd, block, 0, n);
    done += n;
  }
  closeSync(fd);
}
async function sha256File(file) {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file, { highWaterMark: 4 * MiB })) hash.update(chunk);
  return hash.digest("hex");
}

const BIG = SIZES.big;
const bigFile = path.join(work, "big.bin");
const sizeLabel = BIG >= GiB ? `${BIG / GiB} GiB` : `${BIG / MiB} MiB`;
const mibps = (bytes, s) => bytes / MiB / s;
const cpuPerGiB = (cpu, bytes) => cpu / (bytes / GiB);
let bigSha = "";

async function ensureBigFile() {
  if (existsSync(bigFile)) return;
  log(`writing ${sizeLabel} of random bytes`);
  writeRandomFile(bigFile, BIG);
  bigSha = await sha256File(bigFile);
}

/** Transfer table rows: ratio = contender time / ours (above 1: ours is faster). */
function transferRows(summaries, oursName, bytes) {
  const ours = summaries.get(oursName);
  return [...summaries].map(([name, s]) => [
    name + failNote(s),
    `${fmt(s.seconds, 3)} s`,
    name === oursName ? "1.00" : fmt(s.seconds / ours.seconds),
    `${fmt(mibps(bytes, s.seconds), 0)} MiB/s`,
    `${fmt(s.rssMiB, 0)} MiB`,
    fmt(cpuPerGiB(s.cpu, bytes)),
    fmt(s.emuCpu),
    `${s.ok}/${s.n}`,
  ]);
}
const transferHeaders = [
  "contender",
  "median time",
  "time ÷ ours",
  "throughput",
  "peak client RSS",
  "client CPU-s/GiB",
  "emulator CPU-s",
  "ok runs",
];

function pyVariants() {
  // "its default chunk sizes and tuned ones": defaults are 256 MiB chunks, 4 MiB buffers and blocks; tuned uses
  // chunks small enough to keep all threads busy (like ours: 64 MiB, or size/8 for small files).
  const tuned = Math.max(4 * MiB, Math.min(64 * MiB, Math.floor(BIG / THREADS / MiB) * MiB));
  return [
    { label: `Python SDK (nthreads=${THREADS}, default 256 MiB chunks)`, sizes: {} },
    {
      label: `Python SDK (nthreads=${THREADS}, tuned ${tuned / MiB} MiB chunks)`,
      sizes: { chunksize: tuned, buffersize: 4 * MiB, blocksize: 4 * MiB },
    },
  ];
}

// ---- scenario 1: upload --------------------------------------------------------------------------------------
const summariesFor = (results) => new Map([...results].map(([k, v]) => [k, summarize(v)]));
const transfer = {};

if (ONLY.has(1)) {
  log(`scenario 1: upload ${sizeLabel}`);
  await ensureBigFile();
  // The emulator refuses CREATE/APPEND bodies over 4 MiB (like the service), so the single-stream ceiling is
  // one curl process on one connection: CREATE with the first 4 MiB, then APPENDs of 4 MiB in order.
  const partsDir = path.join(work, "parts");
  mkdirSync(partsDir);
  const parts = [];
  {
    const data = readFileSync(bigFile);
    for (let off = 0, i = 0; off < BIG; off += 4 * MiB, i++) {
      const file = path.join(partsDir, `p${String(i).padStart(5, "0")}`);
      writeFileSync(file, data.subarray(off, Math.min(BIG, off + 4 * MiB)));
      parts.push({ file, offset: off });
    }
  }
  flushToDisk();
  const curlConfig = path.join(work, "curl-upload.cfg");
  const writeCurlConfig = (remote, on = port) => {
    const q = (s) => `"${s.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
    const sections = parts.map(({ file, offset }, i) =>
      [
        `url = ${q(i === 0 ? fsUrl(remote, { op: "CREATE", overwrite: "true", write: "true" }, on) : fsUrl(remote, { op: "APPEND", offset: String(offset), append: "true" }, on))}`,
        ...(i === 0 ? [] : ['request = "POST"']),
        `upload-file = ${q(file)}`,
        `header = ${q(`Authorization: Bearer ${token}`)}`,
        'header = "Expect:"',
        `cacert = ${q(connection.caCertificatePath)}`,
        'output = "/dev/null"',
        'write-out = "%{http_code} %{num_connects}\\n"',
      ].join("\n"),
    );
    writeFileSync(curlConfig, sections.join("\nnext\n"), { mode: 0o600 });
  };
  const checkUpload = (remote) => async () => {
    const len = await remoteLength(remote);
    return len === BIG ? undefined : `remote length ${len}, expected ${BIG}`;
  };
  const contenders = [
    {
      name: `@adlkit/fs-client (concurrency ${THREADS}, default 64 MiB chunks)`,
      remote: "/up/ours.bin",
      run: () => runOurs({ action: "upload", local: bigFile, remote: "/up/ours.bin", concurrency: THREADS }),
    },
    ...pyVariants().map((v, i) => ({
      name: v.label,
      remote: `/up/py${i}.bin`,
      run: () =>
        runPython({
          action: "upload",
          local: bigFile,
          remote: `/up/py${i}.bin`,
          nthreads: THREADS,
          ...v.sizes,
        }),
    })),
    {
      name: "curl, one stream (CREATE + 4 MiB APPENDs on one connection)",
      remote: "/up/curl.bin",
      unavailable: curlOk ? undefined : "curl is not installed",
      run: curlUpload,
    },
    {
      name: "reference: the same curl to a do-nothing HTTPS server (TLS ceiling without the emulator)",
      remote: "/up/null.bin",
      reference: true,
      unavailable: curlOk ? undefined : "curl is not installed",
      run: curlUpload,
    },
  ];
  async function curlUpload() {
    const m = await measure("curl", ["--silent", "--show-error", "--config", curlConfig]);
    const lines = m.stdout.trim().split("\n");
    const bad = lines.filter((l) => !/^20[01] /.test(l));
    const connects = lines.reduce((a, l) => a + Number(l.split(" ")[1] ?? 0), 0);
    if (m.ok && (bad.length || lines.length !== parts.length))
      return {
        ...m,
        ok: false,
        error: `HTTP ${bad.slice(0, 3).join(", ")} (${lines.length}/${parts.length} answers)`,
      };
    if (connects !== 1) log(`  note: curl opened ${connects} connections for ${parts.length} requests`);
    return m;
  }
  for (const c of contenders) {
    c.before = async () => {
      await remoteDelete(c.remote);
      if (c.run === curlUpload) writeCurlConfig(c.remote, c.reference ? nullPort : port);
    };
    c.after = c.reference ? undefined : checkUpload(c.remote);
  }
  const results = await alternate(contenders, REPS);
  const s = summariesFor(results);
  transfer.up = {
    s,
    ours: contenders[0].name,
    curl: contenders[3].name,
    py: [contenders[1].name, contenders[2].name],
  };
  sections.push(
    `## 1. Upload a ${sizeLabel} file\n\n${table(transferHeaders, transferRows(s, contenders[0].name, BIG))}\n\n` +
      "The emulator refuses CREATE/APPEND bodies over 4 MiB (as the service does), so the single-stream ceiling " +
      "is one curl process sending CREATE + sequential 4 MiB APPENDs over one kept-alive TLS connection. Every " +
      `upload goes to a freshly deleted path and is checked for its length afterwards (not timed). ${emulatorPeak()}\n\n` +
      requestList(s),
  );
  rmSync(partsDir, { recursive: true, force: true });
}

// ---- scenario 2: download ------------------------------------------------------------------------------------
if (ONLY.has(2)) {
  log(`scenario 2: download ${sizeLabel}`);
  await ensureBigFile();
  if (!bigSha) bigSha = await sha256File(bigFile);
  // The source: written by the harness itself (CREATE + APPENDs), not by a contender.
  const source = "/down/big.bin";
  {
    const fd = openSync(bigFile, "r");
    const buf = Buffer.allocUnsafe(4 * MiB);
    for (let off = 0; off < BIG; off += 4 * MiB) {
      const n = Math.min(4 * MiB, BIG - off);
      const bytesRead = readSync(fd, buf, 0, n, off);
      const body = buf.subarray(0, bytesRead);
      if (off === 0) await http.ok("PUT", source, { op: "CREATE", overwrite: "true", write: "true" }, body);
      else await http.ok("POST", source, { op: "APPEND", offset: String(off), append: "true" }, body);
    }
    closeSync(fd);
  }
  // The emulator wrote it around the page cache (direct I/O), so its first read comes from the disk; without this
  // the first contender of the first round alone would pay for that (seen: 2.1 s and 2.0 emulator CPU-s vs ~1.3).
  await readOnce(source);
  const downDir = path.join(work, "down");
  mkdirSync(downDir);
  const verify = (file) => async () => {
    try {
      const size = statSync(file).size;
      if (size !== BIG) return `local size ${size}, expected ${BIG}`;
      const sha = await sha256File(file);
      return sha === bigSha ? undefined : "SHA-256 differs from the source";
    } catch (err) {
      return `no local file: ${err.message}`;
    } finally {
      rmSync(file, { force: true });
    }
  };
  const sizeOnly = (file) => async () => {
    const size = existsSync(file) ? statSync(file).size : -1;
    rmSync(file, { force: true });
    return size === BIG ? undefined : `local size ${size}, expected ${BIG}`;
  };
  const contenders = [
    {
      name: `@adlkit/fs-client (concurrency ${THREADS}, default 64 MiB chunks)`,
      file: path.join(downDir, "ours.bin"),
      run() {
        return runOurs({ action: "download", local: this.file, remote: source, concurrency: THREADS });
      },
    },
    ...pyVariants().map((v, i) => ({
      name: v.label,
      file: path.join(downDir, `py${i}.bin`),
      run() {
        return runPython({
          action: "download",
          local: this.file,
          remote: source,
          nthreads: THREADS,
          ...v.sizes,
        });
      },
    })),
    {
      name: "curl, one stream (one OPEN of the whole file)",
      file: path.join(downDir, "curl.bin"),
      unavailable: curlOk ? undefined : "curl is not installed",
      async run() {
        const m = await measure("curl", [
          "--silent",
          "--show-error",
          "--fail",
          "--cacert",
          connection.caCertificatePath,
          "-H",
          `Authorization: Bearer ${token}`,
          "-o",
          this.file,
          fsUrl(source, { op: "OPEN", read: "true" }),
        ]);
        return m;
      },
    },
    {
      name: "diagnostic: @adlkit/fs-client createReadStream() piped to a file (one stream, like curl)",
      file: path.join(downDir, "ours-stream.bin"),
      run() {
        return runOurs({ action: "download-stream", local: this.file, remote: source });
      },
    },
    {
      name: "reference: the same curl from a do-nothing HTTPS server (TLS ceiling without the emulator)",
      file: path.join(downDir, "null.bin"),
      unavailable: curlOk ? undefined : "curl is not installed",
      async run() {
        return measure("curl", [
          "--silent",
          "--show-error",
          "--fail",
          "--cacert",
          connection.caCertificatePath,
          "-o",
          this.file,
          `https://127.0.0.1:${nullPort}/null?bytes=${BIG}`,
        ]);
      },
    },
  ];
  for (const c of contenders) {
    c.before = async () => rmSync(c.file, { force: true });
    c.after = c.name.startsWith("reference") ? sizeOnly(c.file) : verify(c.file);
  }
  const results = await alternate(contenders, REPS);
  const s = summariesFor(results);
  transfer.down = {
    s,
    ours: contenders[0].name,
    curl: contenders[3].name,
    py: [contenders[1].name, contenders[2].name],
  };
  sections.push(
    `## 2. Download the same ${sizeLabel} file\n\n${table(transferHeaders, transferRows(s, contenders[0].name, BIG))}\n\n` +
      `The harness reads the source once before the first round (untimed), so that no contender pays for the emulator's first read of it from disk. Each download goes to a fresh local file, which is then checked by size and SHA-256 against the source (not timed) and deleted. ${emulatorPeak()}\n\n` +
      requestList(s),
  );
}

// Targets of scenarios 1 and 2.
for (const [dir, t] of [
  ["up", transfer.up],
  ["down", transfer.down],
]) {
  if (!t) continue;
  const label = dir === "up" ? "Upload" : "Download";
  const ours = t.s.get(t.ours);
  const curl = t.s.get(t.curl);
  const pys = t.py.map((n) => t.s.get(n)).filter((p) => p.ok > 0);
  const fasterPy = pys.reduce((a, b) => (b.seconds < (a?.seconds ?? Infinity) ? b : a), undefined);
  const leanerPy = pys.reduce((a, b) => (b.cpu < (a?.cpu ?? Infinity) ? b : a), undefined);
  const bestPy = fasterPy?.seconds ?? NaN;
  const minPyCpu = leanerPy ? cpuPerGiB(leanerPy.cpu, BIG) : NaN;
  const ofCeiling = curl.seconds / ours.seconds;
  target(
    `${label}: ≥ 85% of the single-stream curl ceiling`,
    `${fmt(100 * ofCeiling, 0)}%${aside(
      `${fmt(mibps(BIG, ours.seconds), 0)} vs ${fmt(mibps(BIG, curl.seconds), 0)} MiB/s`,
      perRound(ours, curl, (o, c) => (100 * c.seconds) / o.seconds, 0, "%"),
    )}`,
    Number.isFinite(ofCeiling) ? ofCeiling >= 0.85 : undefined,
  );
  const need = dir === "up" ? 1.6 : 2;
  target(
    `${label}: ≥ ${need}x the Python SDK (its faster variant)`,
    `${fmt(bestPy / ours.seconds)}x${aside(fasterPy && perRound(ours, fasterPy, (o, p) => p.seconds / o.seconds))}`,
    Number.isFinite(bestPy / ours.seconds) ? bestPy / ours.seconds >= need : undefined,
  );
  const oursCpu = cpuPerGiB(ours.cpu, BIG);
  target(
    `${label}: client CPU-s/GiB ≤ half of Python's (its leaner variant)`,
    `${fmt(oursCpu)} vs ${fmt(minPyCpu)}${aside(
      `${fmt(oursCpu / minPyCpu)}x`,
      leanerPy && perRound(ours, leanerPy, (o, p) => o.cpu / p.cpu),
    )}`,
    Number.isFinite(oursCpu / minPyCpu) ? oursCpu <= minPyCpu / 2 : undefined,
  );
  const oursRss = ours.samples.map((x) => x.rssKiB / 1024);
  target(
    `${label}: peak client RSS < 150 MiB`,
    `${fmt(ours.rssMiB, 0)} MiB${aside(
      `Python ${pys.map((p) => fmt(p.rssMiB, 0)).join(" / ")} MiB`,
      oursRss.length > 1 &&
        `ours per run ${fmt(Math.min(...oursRss), 0)} to ${fmt(Math.max(...oursRss), 0)} MiB`,
    )}`,
    Number.isFinite(ours.rssMiB) ? ours.rssMiB < 150 : undefined,
  );
}
rmSync(bigFile, { force: true });

// ---- scenario 3: listing ---------------------------------------------------------------------------------------
const smallListDir = "/list/small";
if (ONLY.has(3)) {
  const N = SIZES.entries;
  const nSmall = Math.max(100, Math.round(N / 5)); // several pages too, so only the size differs
  log(`scenario 3: list ${N} entries (and ${nSmall} for the memory-growth check); creating them`);
  const t0 = Date.now();
  for (const [dir, n] of [
    ["/list/big", N],
    [smallListDir, nSmall],
  ]) {
    await pool(
      Array.from({ length: n }, (_, i) => i),
      32,
      async (i) => {
        await http.ok("PUT", `${dir}/entry-${String(i).padStart(6, "0")}`, {
          op: "CREATE",
          overwrite: "true",
          write: "true",
        });
      },
    );
  }
  log(`  created ${N + nSmall} empty files in ${fmt((Date.now() - t0) / 1000, 1)} s`);
  const mk = (who, dir, n) => ({
    name: `${who}, ${n.toLocaleString("en-US")} entries`,
    n,
    run: () =>
      who === "ours" ? runOurs({ action: "list", remote: dir }) : runPython({ action: "list", remote: dir }),
    after: async (_rep, s) =>
      s.report?.entries === n ? undefined : `listed ${s.report?.entries} entries, expected ${n}`,
  });
  const contenders = [
    mk("ours", "/list/big", N),
    mk("python", "/list/big", N),
    mk("ours", smallListDir, nSmall),
    mk("python", smallListDir, nSmall),
  ];
  contenders[0].name = `@adlkit/fs-client list(), ${N.toLocaleString("en-US")} entries`;
  contenders[1].name = `Python SDK ls(detail=True), ${N.toLocaleString("en-US")} entries`;
  contenders[2].name = `@adlkit/fs-client list(), ${nSmall.toLocaleString("en-US")} entries`;
  contenders[3].name = `Python SDK ls(detail=True), ${nSmall.toLocaleString("en-US")} entries`;
  const results = await alternate(contenders, REPS);
  const s = summariesFor(results);
  const [ob, pb, os_, ps] = contenders.map((c) => s.get(c.name));
  const rows = contenders.map((c, i) => {
    const x = s.get(c.name);
    const ref = i % 2 === 0 ? x : s.get(contenders[i - 1].name);
    return [
      c.name + failNote(x),
      `${fmt(x.seconds, 3)} s`,
      fmt(x.seconds / ref.seconds),
      `${fmt(c.n / x.seconds, 0)} entries/s`,
      `${fmt(x.rssMiB, 0)} MiB`,
      fmt(x.cpu),
      fmt(x.emuCpu),
      `${x.ok}/${x.n}`,
    ];
  });
  sections.push(
    `## 3. List a directory of ${N.toLocaleString("en-US")} entries\n\n${table(
      [
        "contender",
        "median time",
        "time ÷ ours (same size)",
        "rate",
        "peak client RSS",
        "client CPU-s",
        "emulator CPU-s",
        "ok runs",
      ],
      rows,
    )}\n\nOurs iterates \`list()\` (pages of 4,000) without keeping entries; Python's \`ls(detail=True)\` returns them all, as it must. ` +
      `The ${nSmall.toLocaleString("en-US")}-entry rows show how each client's peak memory grows with the directory size. ${emulatorPeak()}\n\n` +
      requestList(s),
  );
  target(
    `List ${N.toLocaleString("en-US")} entries: ≥ 3x faster than Python`,
    `${fmt(pb.seconds / ob.seconds)}x${aside(perRound(ob, pb, (o, p) => p.seconds / o.seconds))}`,
    Number.isFinite(pb.seconds / ob.seconds) ? pb.seconds / ob.seconds >= 3 : undefined,
  );
  const growth = ob.rssMiB - os_.rssMiB;
  target(
    "List: client memory does not grow with the directory size (≤ 16 MiB more peak RSS at 5x the entries)",
    `${Math.round(growth) >= 0 ? "+" : "−"}${fmt(Math.abs(growth), 0)} MiB from ${nSmall.toLocaleString("en-US")} to ${N.toLocaleString("en-US")} entries${aside(
      `Python ${pb.rssMiB - ps.rssMiB >= 0 ? "+" : "−"}${fmt(Math.abs(pb.rssMiB - ps.rssMiB), 0)} MiB`,
      perRound(ob, os_, (big, small) => (big.rssKiB - small.rssKiB) / 1024, 0, " MiB"),
    )}`,
    Number.isFinite(growth) ? growth <= 16 : undefined,
  );
  await remoteDelete("/list/big");
}

// ---- scenario 4: small files ----------------------------------------------------------------------------------
const smallRemoteForCli = "/cli-ls";
if (ONLY.has(4)) {
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

// ---- scenario 5: CLI start-up ---------------------------------------------------------------------------------
if (ONLY.has(5)) {
  log("scenario 5: start-up of a cold process");
  for (let i = 0; i < 10; i++)
    await http.ok(
      "PUT",
      `${smallRemoteForCli}/file-${i}.txt`,
      { op: "CREATE", overwrite: "true", write: "true" },
      Buffer.from(`hello ${i}\n`),
    );
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

function locateCli() {
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

/** Points the CLI at the emulator: a profile from the emulator's connection.json, in a private config dir. */
async function prepareCli(cli) {
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

// ---- scenario 6: the emulator alone ---------------------------------------------------------------------------
if (ONLY.has(6)) {
  const { default: autocannon } = await import("autocannon");
  const seconds = SIZES.loadSeconds;
  log(`scenario 6: the emulator alone (autocannon, ${seconds} s each)`);
  await http.ok(
    "PUT",
    "/load/stat.txt",
    { op: "CREATE", overwrite: "true", write: "true" },
    Buffer.from("x"),
  );
  const run = (o) =>
    new Promise((resolve, reject) => {
      const inst = autocannon({ ...o, duration: seconds, url: `https://127.0.0.1:${port}` }, (err, res) =>
        err ? reject(err) : resolve(res),
      );
      inst.on("error", () => {});
    });
  const rows = [];
  const emuRow = async (label, o, bodyBytes) => {
    resetPeakRss(emulator.pid);
    const cpu0 = procCpuSeconds(emulator.pid);
    const t0 = Date.now();
    try {
      const r = await run(o);
      const wall = (Date.now() - t0) / 1000;
      const ok = r["2xx"];
      const emuCpu = procCpuSeconds(emulator.pid) - cpu0;
      rows.push([
        label,
        `${fmt(ok / r.duration, 0)} req/s`,
        bodyBytes ? `${fmt((ok * bodyBytes) / MiB / r.duration, 0)} MiB/s` : "—",
        `${fmt(r.latency.p50, 1)} / ${fmt(r.latency.p99, 1)} ms`,
        `${r.non2xx} / ${r.errors + r.timeouts}`,
        `${fmt((100 * emuCpu) / wall, 0)}%`,
        `${fmt(procPeakRssKiB(emulator.pid) / 1024, 0)} MiB`,
      ]);
    } catch (err) {
      rows.push([`${label} — failed: ${err.message}`, "n/a", "n/a", "n/a", "n/a", "n/a", "n/a"]);
    }
  };
  const auth = { authorization: `Bearer ${token}` };
  await emuRow(
    "GETFILESTATUS, 16 connections",
    {
      connections: 16,
      pipelining: 1,
      requests: [
        { method: "GET", path: `/${ACCOUNT}/webhdfs/v1/load/stat.txt?op=GETFILESTATUS`, headers: auth },
      ],
    },
    0,
  );
  const body = Buffer.alloc(4 * MiB, 0x61);
  let n = 0;
  await emuRow(
    "ingest: CREATE of 4 MiB bodies (overwrite, 64 rotating paths), 4 connections",
    {
      connections: 4,
      requests: [
        {
          method: "PUT",
          headers: { ...auth, "content-type": "application/octet-stream" },
          body,
          setupRequest: (req) => ({
            ...req,
            path: `/${ACCOUNT}/webhdfs/v1/load/ingest-${n++ % 64}.bin?op=CREATE&overwrite=true&write=true`,
          }),
        },
      ],
    },
    body.length,
  );
  // autocannon drops its connections at the deadline; let the emulator finish the requests it was reading.
  await new Promise((r) => setTimeout(r, 1500));
  sections.push(
    `## 6. The emulator alone (autocannon ${autocannonVersion}, ${seconds} s per row, loopback)\n\n${table(
      [
        "load",
        "requests/s (2xx)",
        "ingest",
        "latency p50 / p99",
        "non-2xx / errors",
        "emulator CPU (of one core)",
        "emulator peak RSS",
      ],
      rows,
    )}\n\nautocannon runs in the harness process, so it shares the two cores with the emulator.`,
  );
  await remoteDelete("/load");
}

// ---- report -----------------------------------------------------------------------------------------------------
http.close();
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
  `- Versions: Node ${process.version}; @adlkit/fs-client ${pkgVersion("packages/fs-client")}, @adlkit/emulator ${pkgVersion("packages/emulator")} at ${gitRev}; ${pyVersions ?? "Python SDK: not available"}; ${curlVersion ?? "curl: not installed"}; autocannon ${autocannonVersion}`,
  `- Method: one emulator child process on 127.0.0.1 (TLS); every contender is a separate child process run ${REPS} times, alternating (the order rotates), and the table shows medians. Time and client CPU are measured inside the child around the operation (after start-up and token acquisition); peak RSS is the whole child process (${TIME_BIN ? "`/usr/bin/time -f %M`" : "its own getrusage"}). The Python SDK gets the same thread count as our concurrency (${THREADS}). "time ÷ ours" above 1 means ours is faster. The targets also give each ratio per round (the runs of one rotation, a few minutes apart at most): the spread a median hides. Client and emulator share the machine's ${cpus.length} cores.`,
  `- Run: ${REPS} alternating run${REPS === 1 ? "" : "s"} per contender (${SIZES.startupReps} for start-up), ${fmt((Date.now() - startedAt) / 60_000, 1)} minutes in all`,
  ...notes.map((n) => `- Note: ${n}`),
  "",
  `## Targets (issue 8)\n\n${table(
    ["target", "measured", "result"],
    targets.map((t) => t.slice(0, 3)),
  )}`,
  "",
];
const doc = `${header.join("\n")}\n${sections.join("\n\n")}\n`;
mkdirSync(path.dirname(OUT), { recursive: true });
writeFileSync(OUT, doc);
process.stdout.write(doc);
log(`written to ${path.relative(process.cwd(), OUT)}`);
