#!/usr/bin/env node
// Bounded load test of adl-emulator, on loopback only: N concurrent clients (default 100), each on its own
// keep-alive connection, doing a mix of filesystem, Resource Manager and token calls for a fixed time (default
// 30 s), checking every answer (status, and the bytes of every read against what that client wrote).
// Reports requests, errors, throughput and latency percentiles per operation; exits 1 on any error.
//
//   pnpm --filter @adlkit/emulator load-test                      # 100 clients, 30 s
//   LOAD_CLIENTS=20 LOAD_SECONDS=10 node test/load/load-test.mjs  # smaller
//
// The emulator runs as a separate process (dist/bin.js, so build first) on a fresh data directory, so the
// load generator does not share its event loop.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import https from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const BIN = path.resolve(here, "../../dist/bin.js");
const CLIENTS = Number(process.env.LOAD_CLIENTS ?? 100);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 30);
const MAX_REQUESTS = 5_000_000; // a second bound, whatever the machine
const ACCOUNT = "loadacct";

if (!(CLIENTS >= 1 && CLIENTS <= 1000) || !(SECONDS > 0 && SECONDS <= 600)) {
  console.error("LOAD_CLIENTS must be 1..1000 and LOAD_SECONDS 1..600");
  process.exit(2);
}

const dataDir = mkdtempSync(path.join(tmpdir(), "adl-emu-load-"));
const configFile = path.join(dataDir, "..", `${path.basename(dataDir)}.json`);
writeFileSync(configFile, JSON.stringify({ accounts: [ACCOUNT] }));

const child = spawn(
  process.execPath,
  [BIN, "start", "--port", "0", "--data", dataDir, "--config", configFile],
  {
    stdio: ["ignore", "pipe", "inherit"],
  },
);
let stopping = false;
const cleanup = () => {
  if (child.exitCode === null) child.kill("SIGTERM");
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(configFile, { force: true });
};
process.on("exit", cleanup);
process.on("SIGINT", () => process.exit(130));

const port = await new Promise((resolve, reject) => {
  let out = "";
  const timer = setTimeout(() => reject(new Error(`the emulator did not start: ${out}`)), 60_000);
  child.stdout.on("data", (c) => {
    out += c;
    const m = /ready at https:\/\/localhost:\d+ \(port (\d+)\)/.exec(out);
    if (m) {
      clearTimeout(timer);
      resolve(Number(m[1]));
    }
  });
  child.on("exit", (code) => {
    if (!stopping) reject(new Error(`the emulator exited (${code}): ${out}`));
  });
});
const connection = JSON.parse(readFileSync(path.join(dataDir, "connection.json"), "utf8"));
const ca = readFileSync(connection.caCertificatePath, "utf8");

/** One HTTPS request to the emulator on 127.0.0.1 (never anywhere else). */
function request(agent, method, target, headers = {}, body) {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        method,
        host: "127.0.0.1",
        servername: "localhost",
        port,
        path: target,
        agent,
        headers: { host: `localhost:${port}`, "content-length": String(body?.length ?? 0), ...headers },
      },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode, body: Buffer.concat(chunks) }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.setTimeout(30_000, () => req.destroy(new Error("no answer in 30 s")));
    req.end(body);
  });
}

async function token(agent, resource) {
  const form = new URLSearchParams({
    grant_type: "client_credentials",
    client_id: connection.clientId,
    client_secret: connection.clientSecret,
    resource,
  }).toString();
  const res = await request(
    agent,
    "POST",
    `/${connection.tenantId}/oauth2/token`,
    { "content-type": "application/x-www-form-urlencoded" },
    Buffer.from(form),
  );
  if (res.status !== 200) throw new Error(`token: ${res.status}`);
  return JSON.parse(res.body.toString()).access_token;
}

// Setup: a resource group and an account for the Resource Manager reads.
const setupAgent = new https.Agent({ ca, keepAlive: true });
const armToken = await token(setupAgent, "https://management.azure.com/");
const fsToken = await token(setupAgent, "https://datalake.azure.net/");
const sub = connection.subscriptionId;
const rgPath = `/subscriptions/${sub}/resourcegroups/loadrg`;
{
  const rg = await request(
    setupAgent,
    "PUT",
    `${rgPath}?api-version=2022-09-01`,
    { authorization: `Bearer ${armToken}`, "content-type": "application/json" },
    Buffer.from('{"location":"eastus2"}'),
  );
  if (rg.status !== 201 && rg.status !== 200) throw new Error(`resource group: ${rg.status} ${rg.body}`);
}

const latencies = new Map(); // op -> number[]
const errors = [];
let total = 0;
const deadline = Date.now() + SECONDS * 1000;

async function timed(op, fn) {
  const start = performance.now();
  try {
    await fn();
  } catch (err) {
    errors.push(`${op}: ${err.message}`);
  } finally {
    const ms = performance.now() - start;
    if (!latencies.has(op)) latencies.set(op, []);
    latencies.get(op).push(ms);
    total++;
  }
}

function expectStatus(res, status, what) {
  if (res.status !== status) throw new Error(`${what} -> ${res.status} ${res.body.toString().slice(0, 200)}`);
}

/** One client: its own connection and directory, a weighted mix of operations, every answer checked. */
async function client(i) {
  const agent = new https.Agent({ ca, keepAlive: true, maxSockets: 1 });
  const auth = { authorization: `Bearer ${fsToken}` };
  const armAuth = { authorization: `Bearer ${armToken}` };
  const fs = (p, q) => `/${ACCOUNT}/webhdfs/v1/load/c${i}${p}?${q}`;
  const files = new Map(); // name -> Buffer (what this client wrote)
  let n = 0;
  while (Date.now() < deadline && total < MAX_REQUESTS) {
    const r = Math.random();
    const names = [...files.keys()];
    const pick = () => names[Math.floor(Math.random() * names.length)];
    if (r < 0.18 || names.length === 0) {
      const name = `f${n++}`;
      const data = randomBytes(1024 + Math.floor(Math.random() * 63 * 1024));
      await timed("CREATE", async () => {
        expectStatus(
          await request(agent, "PUT", fs(`/${name}`, "op=CREATE&overwrite=true"), auth, data),
          201,
          "CREATE",
        );
        files.set(name, data);
      });
    } else if (r < 0.3) {
      const name = pick();
      const more = randomBytes(1 + Math.floor(Math.random() * 16 * 1024));
      await timed("APPEND", async () => {
        const offset = files.get(name).length;
        expectStatus(
          await request(agent, "POST", fs(`/${name}`, `op=APPEND&append=true&offset=${offset}`), auth, more),
          200,
          "APPEND",
        );
        files.set(name, Buffer.concat([files.get(name), more]));
      });
    } else if (r < 0.5) {
      const name = pick();
      await timed("OPEN", async () => {
        const res = await request(agent, "GET", fs(`/${name}`, "op=OPEN&read=true"), auth);
        expectStatus(res, 200, "OPEN");
        if (!res.body.equals(files.get(name))) throw new Error(`OPEN ${name}: content differs`);
      });
    } else if (r < 0.62) {
      const name = pick();
      await timed("GETFILESTATUS", async () => {
        const res = await request(agent, "GET", fs(`/${name}`, "op=GETFILESTATUS"), auth);
        expectStatus(res, 200, "GETFILESTATUS");
        if (JSON.parse(res.body.toString()).FileStatus.length !== files.get(name).length)
          throw new Error(`GETFILESTATUS ${name}: wrong length`);
      });
    } else if (r < 0.72) {
      await timed("LISTSTATUS", async () => {
        const res = await request(agent, "GET", fs("", "op=LISTSTATUS"), auth);
        expectStatus(res, 200, "LISTSTATUS");
        const listed = JSON.parse(res.body.toString())
          .FileStatuses.FileStatus.map((s) => s.pathSuffix)
          .sort();
        if (listed.join() !== [...files.keys()].sort().join()) throw new Error("LISTSTATUS: wrong names");
      });
    } else if (r < 0.78) {
      const name = pick();
      const to = `f${n++}`;
      await timed("RENAME", async () => {
        const res = await request(
          agent,
          "PUT",
          fs(`/${name}`, `op=RENAME&destination=/load/c${i}/${to}`),
          auth,
        );
        expectStatus(res, 200, "RENAME");
        if (!JSON.parse(res.body.toString()).boolean) throw new Error("RENAME answered false");
        files.set(to, files.get(name));
        files.delete(name);
      });
    } else if (r < 0.86) {
      if (names.length < 3) continue;
      const name = pick();
      await timed("DELETE", async () => {
        const res = await request(agent, "DELETE", fs(`/${name}`, "op=DELETE"), auth);
        expectStatus(res, 200, "DELETE");
        if (!JSON.parse(res.body.toString()).boolean) throw new Error("DELETE answered false");
        files.delete(name);
      });
    } else if (r < 0.9) {
      await timed("MKDIRS", async () => {
        expectStatus(await request(agent, "PUT", fs(`/d${n % 5}/e`, "op=MKDIRS"), auth), 200, "MKDIRS");
      });
      await timed("DELETE", async () => {
        expectStatus(
          await request(agent, "DELETE", fs(`/d${n % 5}`, "op=DELETE&recursive=true"), auth),
          200,
          "DELETE",
        );
      });
    } else if (r < 0.96) {
      await timed("ARM GET resourceGroup", async () => {
        expectStatus(
          await request(agent, "GET", `${rgPath}?api-version=2022-09-01`, armAuth),
          200,
          "ARM GET",
        );
      });
    } else if (r < 0.98) {
      await timed("ARM LIST resourceGroups", async () => {
        expectStatus(
          await request(agent, "GET", `/subscriptions/${sub}/resourcegroups?api-version=2022-09-01`, armAuth),
          200,
          "ARM LIST",
        );
      });
    } else {
      await timed("TOKEN", async () => {
        await token(agent, "https://datalake.azure.net/");
      });
    }
  }
  agent.destroy();
}

console.log(
  `adl-emulator load test: ${CLIENTS} clients for ${SECONDS} s against https://localhost:${port} (loopback)`,
);
const started = performance.now();
await Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(i)));
const elapsed = (performance.now() - started) / 1000;

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const fmt = (ms) => ms.toFixed(1).padStart(8);
const rows = [];
const all = [];
for (const [op, list] of [...latencies].sort(([a], [b]) => a.localeCompare(b))) {
  list.sort((a, b) => a - b);
  all.push(...list);
  rows.push(
    `${op.padEnd(24)} ${String(list.length).padStart(8)} ${fmt(pct(list, 50))} ${fmt(pct(list, 90))} ${fmt(pct(list, 99))} ${fmt(list.at(-1))}`,
  );
}
all.sort((a, b) => a - b);
console.log(
  `${"operation".padEnd(24)} ${"requests".padStart(8)} ${"p50 ms".padStart(8)} ${"p90 ms".padStart(8)} ${"p99 ms".padStart(8)} ${"max ms".padStart(8)}`,
);
for (const row of rows) console.log(row);
console.log(
  `${"all".padEnd(24)} ${String(all.length).padStart(8)} ${fmt(pct(all, 50))} ${fmt(pct(all, 90))} ${fmt(pct(all, 99))} ${fmt(all.at(-1))}`,
);
console.log(
  `requests: ${total}, errors: ${errors.length}, ${(total / elapsed).toFixed(0)} requests/s over ${elapsed.toFixed(1)} s, ` +
    `p50 ${pct(all, 50).toFixed(1)} ms, p99 ${pct(all, 99).toFixed(1)} ms`,
);
for (const e of errors.slice(0, 20)) console.log(`  error: ${e}`);
stopping = true;
setupAgent.destroy();
// Stop the emulator cleanly (and make sure it is gone), then remove its data.
const exited = new Promise((resolve) => child.once("exit", resolve));
child.kill("SIGTERM");
const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
await exited;
clearTimeout(killer);
cleanup();
process.exitCode = errors.length === 0 ? 0 : 1;
