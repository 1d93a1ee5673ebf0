// Not part of the test suite: uploads and downloads 1 GiB against a private emulator and prints throughput
// and the client's peak RSS. The emulator runs in this process; each transfer runs in a child process so
// its RSS is the client's alone. Needs `pnpm turbo run build --filter=@adlkit/fs-client...` first.
//   node test/measure-1gib.mjs [sizeInMiB=1024] [--python] [--gc-pacing-both [reps=2]]
// --gc-pacing-both runs put and get with gcPacing off and on, alternating, and prints time, CPU and peak RSS.
import { execFile, fork } from "node:child_process";
import { createHash, randomFillSync } from "node:crypto";
import { createReadStream, readFileSync } from "node:fs";
import { mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const MiB = 1024 * 1024;
const here = path.dirname(fileURLToPath(import.meta.url));

async function sha256(file) {
  const hash = createHash("sha256");
  for await (const piece of createReadStream(file, { highWaterMark: 4 * MiB })) hash.update(piece);
  return hash.digest("hex");
}

if (process.env.MEASURE_CHILD) {
  // Child: one transfer with the built client; reports time and peak RSS.
  const { ClientSecretCredential } = await import("@adlkit/auth");
  const { emulatorCloud } = await import("@adlkit/core");
  const { createFsClient } = await import("../dist/index.js");
  const args = JSON.parse(process.env.MEASURE_CHILD);
  const connection = JSON.parse(readFileSync(args.connectionFile, "utf8"));
  const cloud = emulatorCloud({ ...connection, caPem: readFileSync(connection.caCertificatePath, "utf8") });
  const credential = new ClientSecretCredential(
    connection.tenantId,
    connection.clientId,
    connection.clientSecret,
    { cloud },
  );
  const client = createFsClient({ credential, accountName: "measure", cloud, ...args.options });
  let peak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  if (args.mode === "put") await client.put(args.local, args.remote, { overwrite: true });
  else await client.get(args.remote, args.local, { overwrite: true });
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(sampler);
  await client.close();
  process.send({
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssMiB: Math.max(peak, process.resourceUsage().maxRSS * 1024) / MiB,
  });
  process.exit(0);
}

const sizeMiB = Number(process.argv[2] ?? 1024);
const withPython = process.argv.includes("--python");
const { startEmulator } = await import("@adlkit/emulator");
const dir = await mkdtemp(path.join(tmpdir(), "fs-client-measure-"));
const emulator = await startEmulator({
  port: 0,
  dataDir: path.join(dir, "emulator"),
  config: { accounts: ["measure"] },
});
try {
  const source = path.join(dir, "source.bin");
  const handle = await open(source, "w");
  const block = Buffer.allocUnsafe(64 * MiB);
  for (let written = 0; written < sizeMiB * MiB; written += block.length) {
    randomFillSync(block);
    await handle.write(block, 0, Math.min(block.length, sizeMiB * MiB - written));
  }
  await handle.close();
  const expected = await sha256(source);
  const options = { concurrency: 8, chunkSize: 64 * MiB, blockSize: 4 * MiB };
  const child = (mode, local, extra = {}) =>
    new Promise((resolve, reject) => {
      const proc = fork(fileURLToPath(import.meta.url), [], {
        env: {
          ...process.env,
          MEASURE_CHILD: JSON.stringify({
            mode,
            local,
            remote: "/measure/big.bin",
            connectionFile: emulator.connectionFile,
            options: { ...options, ...extra },
          }),
        },
      });
      proc.on("message", resolve);
      proc.on("exit", (code) => (code === 0 ? undefined : reject(new Error(`child exited with ${code}`))));
    });
  const report = (label, r) =>
    console.log(
      `${label.padEnd(28)} ${(sizeMiB / r.seconds).toFixed(0).padStart(5)} MiB/s  ${r.seconds.toFixed(2).padStart(6)} s${r.cpuSeconds ? `  CPU ${r.cpuSeconds.toFixed(2)} s` : ""}${r.peakRssMiB ? `  peak RSS ${r.peakRssMiB.toFixed(0)} MiB` : ""}`,
    );
  console.log(
    `${sizeMiB} MiB, ${JSON.stringify(options)}, emulator on loopback HTTPS, Node ${process.version}`,
  );
  const target = path.join(dir, "back.bin");
  const both = process.argv.indexOf("--gc-pacing-both");
  if (both >= 0) {
    const reps = Number(process.argv[both + 1] ?? 2) || 2;
    for (let rep = 0; rep < reps; rep++) {
      for (const gcPacing of rep % 2 ? [true, false] : [false, true]) {
        report(`put gcPacing=${gcPacing}`, await child("put", source, { gcPacing }));
        report(`get gcPacing=${gcPacing}`, await child("get", target, { gcPacing }));
        console.log(`byte-identical after round trip: ${(await sha256(target)) === expected}`);
      }
    }
  } else {
    report("fs-client put", await child("put", source));
    report("fs-client get", await child("get", target));
    console.log(`byte-identical after round trip: ${(await sha256(target)) === expected}`);
  }
  if (withPython) {
    const c = emulator.connection;
    const env = {
      PATH: process.env.PATH,
      EMU_URL: c.url,
      EMU_TENANT: c.tenantId,
      EMU_CLIENT_ID: c.clientId,
      EMU_SECRET: c.clientSecret,
      EMU_PORT: String(c.port),
      EMU_ACCOUNT: "measure",
      REQUESTS_CA_BUNDLE: c.caCertificatePath,
      PY_CHUNKSIZE: String(64 * MiB),
      PY_BLOCKSIZE: String(4 * MiB),
      PY_THREADS: "8",
    };
    const timed = async (...args) => {
      const result = await new Promise((resolve, reject) =>
        execFile(
          "/usr/bin/time",
          ["-f", "%M", "/usr/bin/python3", path.join(here, "python/cross_client.py"), ...args],
          { env, maxBuffer: 16 * MiB },
          (err, stdout, stderr) => (err ? reject(err) : resolve({ stdout, stderr })),
        ),
      );
      const { seconds } = JSON.parse(result.stdout.trim().split("\n").at(-1));
      const kib = Number(result.stderr.trim().split("\n").at(-1));
      return { seconds, peakRssMiB: kib / 1024 };
    };
    report("python ADLUploader", await timed("upload", source, "/measure/py.bin"));
    const pyTarget = path.join(dir, "py-back.bin");
    report("python ADLDownloader", await timed("download", "/measure/py.bin", pyTarget));
    console.log(`python byte-identical: ${(await sha256(pyTarget)) === expected}`);
  }
} finally {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
}
