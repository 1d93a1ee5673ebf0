#!/usr/bin/env node
// Uploads (and downloads) 1 GiB through a real emulator process and reports its peak RSS and the throughput.
// Not part of the test suite (it takes a while). Run from packages/emulator after `. ../../scripts/bootstrap.sh`:
//   node test/webhdfs/measure-rss.mjs [--gib 1] [--streams 4] [--python]
// It builds dist/ (the package's own build), starts `dist/bin.js start` on a free port with a fresh data
// directory, writes like the Python uploader (parallel segment files, 4 MiB APPENDs, one MSCONCAT), reads the
// result back in 4 MiB OPENs checking SHA-256, and reads the emulator's peak RSS (VmHWM) from /proc.
// With --python it then also uploads the same amount with the official SDK's ADLUploader (4 threads,
// 256 MiB chunks, 4 MiB blocks) and reports the peak RSS after that too.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import https from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    gib: { type: "string", default: "1" },
    streams: { type: "string", default: "4" },
    python: { type: "boolean", default: false },
  },
});
const MiB = 1024 * 1024;
const TOTAL = Math.round(Number(values.gib) * 1024) * MiB;
const STREAMS = Number(values.streams);
const APPEND = 4 * MiB;
const SEGMENT = Math.ceil(TOTAL / STREAMS / APPEND) * APPEND;
const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

try {
  execFileSync("pnpm", ["exec", "tsc", "-p", "tsconfig.build.json"], {
    cwd: packageDir,
    stdio: ["ignore", "ignore", "inherit"],
  });
} catch {
  // tsc still emits when another part of the tree has type errors; the filesystem is what is measured here.
  console.error("measure-rss: tsc reported errors (see above); measuring the emitted dist/ anyway");
}
const dataDir = mkdtempSync(path.join(tmpdir(), "adl-rss-"));
const configFile = path.join(dataDir, "config.json");
writeFileSync(configFile, JSON.stringify({ accounts: ["bench"] }));
const emulator = spawn(
  process.execPath,
  [
    ...(process.env.EMU_NODE_ARGS ? process.env.EMU_NODE_ARGS.split(" ") : []),
    path.join(packageDir, "dist/bin.js"),
    "start",
    "--port",
    "0",
    "--data",
    dataDir,
    "--config",
    configFile,
  ],
  {
    stdio: ["ignore", "pipe", "inherit"],
  },
);
const port = await new Promise((resolve, reject) => {
  let out = "";
  emulator.stdout.on("data", (d) => {
    out += d;
    const match = /\(port (\d+)\)/.exec(out);
    if (match) resolve(Number(match[1]));
  });
  emulator.once("exit", (code) => reject(new Error(`emulator exited with ${code}`)));
});

const peakRss = () =>
  Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${emulator.pid}/status`, "utf8"))[1]) * 1024;
const connection = JSON.parse(readFileSync(path.join(dataDir, "connection.json"), "utf8"));
const agent = new https.Agent({
  ca: readFileSync(connection.caCertificatePath),
  keepAlive: true,
  maxSockets: STREAMS,
});

function call(method, target, { body, headers = {}, sink } = {}) {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        method,
        host: "127.0.0.1",
        port,
        path: target,
        agent,
        headers: { "content-length": body ? body.length : 0, ...headers },
      },
      (res) => {
        const chunks = [];
        res.on("data", (c) => (sink ? sink(c) : chunks.push(c)));
        res.on("end", () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString() }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const form = new URLSearchParams({
  grant_type: "client_credentials",
  client_id: connection.clientId,
  client_secret: connection.clientSecret,
  resource: "https://datalake.azure.net/",
});
const tokenRes = await call("POST", `/${connection.tenantId}/oauth2/token`, {
  body: Buffer.from(form.toString()),
  headers: { "content-type": "application/x-www-form-urlencoded" },
});
const auth = { authorization: `Bearer ${JSON.parse(tokenRes.text).access_token}` };
const fs = (p, query) => `/bench/webhdfs/v1${p}?${query}`;
const expect = (res, status, what) => {
  if (res.status !== status) throw new Error(`${what}: HTTP ${res.status} ${res.text}`);
};

// One random 4 MiB block per stream, rotated by the append index, so the file is not one repeated block.
const blocks = Array.from({ length: STREAMS }, () => randomBytes(APPEND));
const blockFor = (offset) => blocks[(offset / APPEND) % STREAMS];
const expected = createHash("sha256");
for (let offset = 0; offset < TOTAL; offset += APPEND)
  expected.update(blockFor(offset).subarray(0, Math.min(APPEND, TOTAL - offset)));
const expectedHash = expected.digest("hex");

const uploadStart = performance.now();
const segments = Array.from({ length: STREAMS }, (_, i) => ({
  name: `/up/big.bin.segments.x/big.bin_${i * SEGMENT}`,
  start: i * SEGMENT,
  end: Math.min(TOTAL, (i + 1) * SEGMENT),
}));
await Promise.all(
  segments.map(async (segment, i) => {
    const lease = `lease-${i}`;
    expect(
      await call(
        "PUT",
        fs(`/${segment.name}`, `op=CREATE&write=true&overwrite=true&syncFlag=DATA&leaseid=${lease}`),
        { headers: auth },
      ),
      201,
      "CREATE",
    );
    for (let offset = segment.start; offset < segment.end; offset += APPEND) {
      const size = Math.min(APPEND, segment.end - offset);
      const last = offset + size >= segment.end;
      const query = `op=APPEND&append=true&offset=${offset - segment.start}&syncFlag=${last ? "CLOSE" : "DATA"}&leaseid=${lease}`;
      expect(
        await call("POST", fs(segment.name, query), {
          body: blockFor(offset).subarray(0, size),
          headers: auth,
        }),
        200,
        "APPEND",
      );
    }
  }),
);
const concatBody = Buffer.from(JSON.stringify({ sources: segments.map((s) => s.name) }));
expect(
  await call("POST", fs("/up/big.bin", "op=MSCONCAT&deleteSourceDirectory=true"), {
    body: concatBody,
    headers: { ...auth, "content-type": "application/json" },
  }),
  200,
  "MSCONCAT",
);
const uploadSeconds = (performance.now() - uploadStart) / 1000;
const rssAfterUpload = peakRss();

const downloadStart = performance.now();
const actual = createHash("sha256");
const parts = [];
const readers = Array.from({ length: STREAMS }, (_, i) => i);
let next = 0;
await Promise.all(
  readers.map(async () => {
    for (let offset = next; offset < TOTAL; offset = next) {
      next += APPEND;
      const chunks = [];
      const res = await call(
        "GET",
        fs("/up/big.bin", `op=OPEN&read=true&offset=${offset}&length=${APPEND}`),
        { headers: auth, sink: (c) => chunks.push(c) },
      );
      expect(res, 200, "OPEN");
      parts[offset / APPEND] = createHash("sha256").update(Buffer.concat(chunks)).digest("hex");
    }
  }),
);
const downloadSeconds = (performance.now() - downloadStart) / 1000;
let blockHashesMatch = true;
for (let offset = 0; offset < TOTAL; offset += APPEND) {
  const want = createHash("sha256")
    .update(blockFor(offset).subarray(0, Math.min(APPEND, TOTAL - offset)))
    .digest("hex");
  if (parts[offset / APPEND] !== want) blockHashesMatch = false;
}
actual.update(expectedHash);

const status = JSON.parse(
  (await call("GET", fs("/up/big.bin", "op=GETFILESTATUS"), { headers: auth })).text,
).FileStatus;
const result = {
  bytes: TOTAL,
  streams: STREAMS,
  uploadSeconds: Number(uploadSeconds.toFixed(2)),
  uploadMBps: Math.round(TOTAL / 1e6 / uploadSeconds),
  downloadSeconds: Number(downloadSeconds.toFixed(2)),
  downloadMBps: Math.round(TOTAL / 1e6 / downloadSeconds),
  lengthOk: status.length === TOTAL,
  contentOk: blockHashesMatch,
  peakRssMiBAfterUpload: Number((rssAfterUpload / MiB).toFixed(1)),
  peakRssMiB: Number((peakRss() / MiB).toFixed(1)),
};
if (values.python) Object.assign(result, await pythonUpload());
result.peakRssMiB = Number((peakRss() / MiB).toFixed(1));
console.log(JSON.stringify(result, null, 2));
emulator.kill("SIGTERM");
await new Promise((resolve) => emulator.once("exit", resolve));
agent.destroy();
rmSync(dataDir, { recursive: true, force: true });
/** ADLUploader from the Debian python3-azure-datalake-store (0.0.52), through the same emulator. */
async function pythonUpload() {
  const local = path.join(dataDir, "python-source.bin");
  const block = randomBytes(APPEND);
  writeFileSync(local, Buffer.alloc(0));
  const { appendFileSync } = await import("node:fs");
  for (let offset = 0; offset < TOTAL; offset += APPEND) appendFileSync(local, block);
  const script = [
    "import sys, time",
    "from azure.datalake.store.multithread import ADLUploader",
    "from emulator_fs import filesystem",
    "fs = filesystem()",
    "start = time.time()",
    "ADLUploader(fs, '/py/big.bin', sys.argv[1], nthreads=4, chunksize=2**28, buffersize=2**22, blocksize=2**22, overwrite=True)",
    "print(time.time() - start, fs.info('/py/big.bin')['length'])",
  ].join("\n");
  const run = spawnSync("/usr/bin/python3", ["-c", script, local], {
    cwd: path.join(packageDir, "test/webhdfs/python"),
    env: {
      PATH: "/usr/bin:/bin",
      REQUESTS_CA_BUNDLE: connection.caCertificatePath,
      EMU_URL: connection.url,
      EMU_PORT: String(port),
      EMU_TENANT: connection.tenantId,
      EMU_CLIENT_ID: connection.clientId,
      EMU_SECRET: connection.clientSecret,
      EMU_ACCOUNT: "bench",
    },
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`python upload failed: ${run.stderr}`);
  const [seconds, length] = run.stdout.trim().split(/\s+/).map(Number);
  return {
    pythonUploadSeconds: Number(seconds.toFixed(2)),
    pythonUploadMBps: Math.round(TOTAL / 1e6 / seconds),
    pythonLengthOk: length === TOTAL,
    peakRssMiBAfterPython: Number((peakRss() / MiB).toFixed(1)),
  };
}

if (!result.lengthOk || !result.contentOk || result.peakRssMiB >= 150) process.exitCode = 1;
