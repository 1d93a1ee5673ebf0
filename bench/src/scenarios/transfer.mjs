import { createHash, randomFillSync } from "node:crypto";
import { closeSync, createReadStream, existsSync, openSync, readSync, writeSync } from "node:fs";
import path from "node:path";
import { fmt, GiB, MiB } from "../lib.mjs";
import { failNote } from "../rounds.mjs";
import { http, work } from "../session.mjs";
import { log, SIZES, THREADS } from "../setup.mjs";

// ---- data files ---------------------------------------------------------------------------------------------
export function writeRandomFile(file, size) {
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
export async function sha256File(file) {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file, { highWaterMark: 4 * MiB })) hash.update(chunk);
  return hash.digest("hex");
}

export const BIG = SIZES.big;
export const bigFile = path.join(work, "big.bin");
export const sizeLabel = BIG >= GiB ? `${BIG / GiB} GiB` : `${BIG / MiB} MiB`;
export const mibps = (bytes, s) => bytes / MiB / s;
export const cpuPerGiB = (cpu, bytes) => cpu / (bytes / GiB);
let bigSha = "";

export async function ensureBigFile() {
  if (existsSync(bigFile)) return;
  log(`writing ${sizeLabel} of random bytes`);
  writeRandomFile(bigFile, BIG);
  bigSha = await sha256File(bigFile);
}

/** Transfer table rows: ratio = contender time / ours (above 1: ours is faster). */
export function transferRows(summaries, oursName, bytes) {
  const ours = summaries.get(oursName);
  return [...summaries].map(([name, s]) => [
    name + failNote(s),
    `${fmt(s.seconds, 3)} s`,
    name === oursName ? "1.00" : fmt(s.seconds / ours.seconds),
    `${fmt(mibps(bytes, s.seconds), 0)} MiB/s`,
    `${fmt(s.rssMiB, 0)} MiB`,
    fmt(cpuPerGiB(s.cpu, bytes)),
    fmt(cpuPerGiB(s.emuCpu, bytes)),
    `${s.ok}/${s.n}`,
  ]);
}
export const transferHeaders = [
  "contender",
  "median time",
  "time ÷ ours",
  "throughput",
  "peak client RSS",
  "client CPU-s/GiB",
  "emulator CPU-s/GiB",
  "ok runs",
];

export function pyVariants() {
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

/** The SHA-256 of the big source file (computed once). */
export async function bigFileSha() {
  if (!bigSha) bigSha = await sha256File(bigFile);
  return bigSha;
}

/** Results of scenarios 1 and 2, for their targets: { up, down } = { s, ours, curl, py }. */
export const transfer = {};

/** Writes the big file to `remote` from the harness itself (CREATE + 4 MiB APPENDs), untimed. */
export async function putBigFile(remote) {
  await ensureBigFile();
  const fd = openSync(bigFile, "r");
  try {
    const buf = Buffer.allocUnsafe(4 * MiB);
    for (let off = 0; off < BIG; off += 4 * MiB) {
      const bytesRead = readSync(fd, buf, 0, Math.min(4 * MiB, BIG - off), off);
      const body = buf.subarray(0, bytesRead);
      if (off === 0) await http.ok("PUT", remote, { op: "CREATE", overwrite: "true", write: "true" }, body);
      else await http.ok("POST", remote, { op: "APPEND", offset: String(off), append: "true" }, body);
    }
  } finally {
    closeSync(fd);
  }
}
