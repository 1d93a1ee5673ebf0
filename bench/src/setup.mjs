// The bench's options, the build of what it measures, and what it records about the machine and versions.
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { GiB, MiB, probe } from "./lib.mjs";

export const here = path.dirname(fileURLToPath(import.meta.url));
export const benchDir = path.resolve(here, "..");
export const repoDir = path.resolve(benchDir, "..");
export const PYTHON = "/usr/bin/python3";

export const { values: opts } = parseArgs({
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
export const QUICK = opts.quick;
export const SIZES = QUICK
  ? { big: 64 * MiB, entries: 2_000, smallFiles: 200, reps: 2, startupReps: 5, loadSeconds: 3 }
  : { big: 1 * GiB, entries: 100_000, smallFiles: 5_000, reps: 5, startupReps: 10, loadSeconds: 10 };
if (opts["big-mib"]) SIZES.big = Number(opts["big-mib"]) * MiB;
if (opts.entries) SIZES.entries = Number(opts.entries);
if (opts.files) SIZES.smallFiles = Number(opts.files);
export const REPS = opts.reps ? Number(opts.reps) : SIZES.reps;
export const ONLY = new Set((opts.only ?? "1,2,3,4,5,6,7,8,9,10").split(",").map(Number));
export const OUT = path.resolve(opts.out ?? path.join(benchDir, "results", QUICK ? "quick.md" : "latest.md"));
export const THREADS = 8; // our client's default concurrency; the Python SDK gets the same nthreads
export const ACCOUNT = "bench";
export const log = (...a) =>
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${a.join(" ")}\n`);

// ---- build (dependencies only; bench itself is plain .mjs) ------------------------------------------------
export const notes = [];
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
export const pkgVersion = (dir) =>
  JSON.parse(readFileSync(path.join(repoDir, dir, "package.json"), "utf8")).version;
export const curlVersion = probe("curl", ["--version"])?.split("\n")[0];
export const pyVersions = probe(PYTHON, [
  "-c",
  "import sys, azure.datalake.store as s, adal, requests; print('Python %s, azure-datalake-store %s, adal %s, requests %s' % (sys.version.split()[0], s.__version__, adal.__version__, requests.__version__))",
]);
export const pyGen2Versions = probe(PYTHON, [
  "-c",
  "import azure.storage.filedatalake as d, azure.identity as i; print('azure-storage-file-datalake %s, azure-identity %s' % (d.__version__, i.__version__))",
]);
export const datalakeSdkVersion = JSON.parse(
  readFileSync(path.join(benchDir, "node_modules/@azure/storage-file-datalake/package.json"), "utf8"),
).version;
export const autocannonVersion = JSON.parse(
  readFileSync(path.join(benchDir, "node_modules/autocannon/package.json"), "utf8"),
).version;
export const gitRev = (() => {
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
export const loadAtStart = os.loadavg();
export const startedAt = Date.now();
