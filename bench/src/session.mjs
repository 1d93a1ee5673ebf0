// The run's private emulator (a child process on loopback), a do-nothing HTTPS server for reference rows, a token
// for setup requests, and the setup helpers that talk to the emulator (not measured).
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { makeHttp, resetPeakRss } from "./lib.mjs";
import { ACCOUNT, here, log, opts, repoDir } from "./setup.mjs";

// ---- work directories and the emulator child -----------------------------------------------------------------
export const work = mkdtempSync(path.join(os.tmpdir(), "adl-bench-"));
export const dataDir = path.join(work, "emulator");
mkdirSync(dataDir);
export const configFile = path.join(work, "emulator.json");
writeFileSync(configFile, JSON.stringify({ accounts: [ACCOUNT], tokenLifetimeSeconds: 4 * 3600 }));
export const emulatorBin = path.join(repoDir, "packages/emulator/dist/bin.js");
export const profileDir = opts.profile ? path.resolve(opts.profile) : undefined;
if (profileDir) mkdirSync(profileDir, { recursive: true });
export const nodeFlags = (who) =>
  profileDir ? ["--cpu-prof", `--cpu-prof-dir=${path.join(profileDir, who)}`] : [];

log(`work dir ${work}; starting the emulator`);
export const emulator = spawn(
  process.execPath,
  [...nodeFlags("emulator"), emulatorBin, "start", "--port", "0", "--data", dataDir, "--config", configFile],
  { stdio: ["ignore", "pipe", "inherit"] },
);
export const port = await new Promise((resolve, reject) => {
  let out = "";
  emulator.stdout.on("data", (d) => {
    out += d;
    const m = /\(port (\d+)\)/.exec(out);
    if (m) resolve(Number(m[1]));
  });
  emulator.once("exit", (code) => reject(new Error(`the emulator exited with ${code}: ${out}`)));
});
emulator.stdout.resume();
export const connectionFile = path.join(dataDir, "connection.json");
export const connection = JSON.parse(readFileSync(connectionFile, "utf8"));
export const caPem = readFileSync(connection.caCertificatePath, "utf8");
log(`emulator pid ${emulator.pid} on port ${port}`);

resetPeakRss(emulator.pid);

// A do-nothing HTTPS server (same certificate) for reference rows: the TLS + HTTP ceiling without the emulator.
export const nullServer = spawn(
  process.execPath,
  [path.join(here, "null-server.mjs"), path.join(dataDir, "tls")],
  {
    stdio: ["ignore", "pipe", "inherit"],
  },
);
export const nullPort = await new Promise((resolve, reject) => {
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

export let cleanedUp = false;
export async function cleanup() {
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
export let token = "";
export async function refreshToken() {
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
export const http = makeHttp({ port, caPem, token: () => token, account: ACCOUNT });
export const fsUrl = (p, query, on = port) =>
  `https://127.0.0.1:${on}/${ACCOUNT}/webhdfs/v1${p}?${new URLSearchParams(query)}`;

export async function remoteLength(p) {
  const r = await http.call("GET", p, { op: "GETFILESTATUS" });
  return r.status === 200 ? JSON.parse(r.text).FileStatus.length : -1;
}
export async function remoteDelete(p) {
  await http.call("DELETE", p, { op: "DELETE", recursive: "true" });
}
/**
 * Writes every dirty page of the sources just prepared to disk (untimed). Otherwise the kernel writes them back
 * (2 GiB: the source and curl's parts) during the first round, whose first contender is always ours (seen at
 * 10:00: ours' first upload 2.6 s and 1.24 CPU-s against 1.7-2.2 s and ~1.0 in its other runs; the emulator's
 * CPU and Python's first runs were up as well).
 */
export function flushToDisk() {
  log("flushing the sources to disk");
  execFileSync("sync");
}

/** Reads a remote file once and drops the bytes (untimed). */
export async function readOnce(p) {
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
export async function journalCounts() {
  try {
    const { entries } = await http.admin("GET", "journal", connection.adminKey);
    const counts = new Map();
    for (const e of entries)
      if (e.account === ACCOUNT || /webhdfs/.test(e.path) || /^(dfs|blob):/.test(e.op ?? ""))
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

/**
 * Every request since the journal was cleared by op (`{ OPEN: 5000, "dfs:append": 5001, ... }`): the emulator's
 * counts, which its 20,000-entry ring does not cut short.
 */
export async function journalOpCounts() {
  const { counts } = await http.admin("GET", "journal", connection.adminKey);
  return counts;
}
