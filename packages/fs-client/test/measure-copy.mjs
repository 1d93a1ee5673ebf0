// Not part of the test suite: migrates one big Gen1 file (and a tree of small ones) to Gen2 with copy() against
// a private emulator, and prints time, client CPU and peak RSS. The emulator runs in this process; the copy runs
// in a child process so its CPU and RSS are the client's alone. Needs `pnpm turbo run build --filter=@adlkit/fs-client...`.
//   node test/measure-copy.mjs [sizeInMiB=256] [smallFiles=200] [--gc-pacing]
import { fork } from "node:child_process";
import { randomFillSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const MiB = 1024 * 1024;
const gcPacing = process.argv.includes("--gc-pacing");
const here = fileURLToPath(import.meta.url);

async function clients(connectionFile, gen2) {
  const { ClientSecretCredential } = await import("@adlkit/auth");
  const { emulatorCloud } = await import("@adlkit/core");
  const { createFsClient, Gen2FsClient } = await import("../dist/index.js");
  const connection = JSON.parse(readFileSync(connectionFile, "utf8"));
  const caPem = readFileSync(connection.caCertificatePath, "utf8");
  const cloud = emulatorCloud({ ...connection, caPem });
  const credential = new ClientSecretCredential(
    connection.tenantId,
    connection.clientId,
    connection.clientSecret,
    {
      cloud,
    },
  );
  return {
    connection,
    caPem,
    credential,
    cloud,
    gen1: createFsClient({ credential, accountName: "measure", cloud, gcPacing }),
    gen2: gen2 && new Gen2FsClient({ credential, accountName: gen2, filesystem: "target", cloud, gcPacing }),
  };
}

if (process.env.MEASURE_CHILD) {
  const args = JSON.parse(process.env.MEASURE_CHILD);
  const { copy } = await import("../dist/index.js");
  const { gen1, gen2 } = await clients(args.connectionFile, args.gen2);
  let peak = 0;
  const peaks = { heapTotal: 0, arrayBuffers: 0 };
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peak = Math.max(peak, m.rss);
    peaks.heapTotal = Math.max(peaks.heapTotal, m.heapTotal);
    peaks.arrayBuffers = Math.max(peaks.arrayBuffers, m.arrayBuffers);
  }, 50);
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  const report = await copy(
    { client: gen1, path: args.source },
    { client: gen2, path: args.target },
    {
      recursive: true,
      stateFile: args.stateFile,
    },
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(sampler);
  await gen1.close();
  await gen2.close();
  process.send({
    report: { files: report.files, bytes: report.bytes, failed: report.failed, carried: report.acls.carried },
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssMiB: Math.max(peak, process.resourceUsage().maxRSS * 1024) / MiB,
    peakHeapMiB: peaks.heapTotal / MiB,
    peakArrayBuffersMiB: peaks.arrayBuffers / MiB,
  });
  process.exit(0);
}

const [sizeArg, smallArg] = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const sizeMiB = Number(sizeArg ?? 256);
const smallFiles = Number(smallArg ?? 200);
const { startEmulator } = await import("@adlkit/emulator");
const dir = await mkdtemp(path.join(tmpdir(), "adlkit-measure-copy-"));
const emulator = await startEmulator({
  port: 0,
  dataDir: path.join(dir, "data"),
  config: { accounts: ["measure"] },
});
try {
  const { connection, caPem, credential, cloud, gen1 } = await clients(emulator.connectionFile);
  // A Gen2 account through Resource Manager, as a user makes one.
  const { Agent, request } = await import("undici");
  const { scopeForResource } = await import("@adlkit/core");
  const dispatcher = new Agent({ connect: { ca: caPem } });
  const arm = async (method, url, body) => {
    const token = await credential.getToken(scopeForResource(cloud.resourceManagerAudience));
    const res = await request(url.startsWith("https://") ? url : `${connection.url}${url}`, {
      method,
      headers: { authorization: `Bearer ${token.token}`, "content-type": "application/json" },
      ...(body ? { body: JSON.stringify(body) } : {}),
      dispatcher,
    });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${text}`);
    return { status: res.statusCode, location: res.headers.location };
  };
  const sub = `/subscriptions/${connection.subscriptionId}/resourceGroups/measure`;
  await arm("PUT", `${sub}?api-version=2021-04-01`, { location: "eastus" });
  const account = "measuregen2";
  const created = await arm(
    "PUT",
    `${sub}/providers/Microsoft.Storage/storageAccounts/${account}?api-version=2023-01-01`,
    {
      location: "eastus",
      kind: "StorageV2",
      sku: { name: "Standard_LRS" },
      properties: { isHnsEnabled: true },
    },
  );
  if (created.status === 202)
    for (;;) {
      if ((await arm("GET", created.location)).status === 200) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  const { gen2 } = await clients(emulator.connectionFile, account);
  await gen2.createFilesystem();

  const big = path.join(dir, "big.bin");
  const { open } = await import("node:fs/promises");
  const handle = await open(big, "w");
  const block = Buffer.allocUnsafe(4 * MiB);
  for (let i = 0; i < sizeMiB / 4; i++) await handle.write(randomFillSync(block));
  await handle.close();
  await gen1.put(big, "/src/big/big.bin");
  await rm(big);
  for (let i = 0; i < smallFiles; i++) await gen1.writeFile(`/src/small/d${i % 10}/f${i}.txt`, `file ${i}\n`);
  for (let i = 0; i < 10; i++)
    await gen1.setAcl(
      `/src/small/d${i}`,
      "user::rwx,group::r-x,other::---,default:user::rwx,default:group::r-x,default:other::---",
    );

  for (const what of ["big", "small"]) {
    const child = fork(here, gcPacing ? ["--gc-pacing"] : [], {
      env: {
        ...process.env,
        MEASURE_CHILD: JSON.stringify({
          connectionFile: emulator.connectionFile,
          gen2: account,
          source: `/src/${what}`,
          target: `/${what}`,
          stateFile: path.join(dir, `${what}.jsonl`),
        }),
      },
    });
    const result = await new Promise((resolve, reject) => {
      child.once("message", resolve);
      child.once("exit", (code) => code && reject(new Error(`child exited ${code}`)));
    });
    const mib = result.report.bytes / MiB;
    console.log(
      `${what}: ${result.report.files} files, ${mib.toFixed(1)} MiB in ${result.seconds.toFixed(1)} s ` +
        `(${(mib / result.seconds).toFixed(1)} MiB/s, ${(result.report.files / result.seconds).toFixed(0)} files/s), ` +
        `client CPU ${result.cpuSeconds.toFixed(2)} s, peak RSS ${result.peakRssMiB.toFixed(0)} MiB ` +
        `(JS heap ${result.peakHeapMiB.toFixed(0)}, array buffers ${result.peakArrayBuffersMiB.toFixed(0)}), ` +
        `failed ${result.report.failed}, ACLs carried ${result.report.carried}`,
    );
  }
  await gen1.close();
  await gen2.close();
  await dispatcher.close();
} finally {
  await emulator.close?.();
  await emulator.stop?.();
  await rm(dir, { recursive: true, force: true });
}
