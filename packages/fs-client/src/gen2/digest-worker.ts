// The body of the worker thread that hashes an upload's source file (started by `startDigests` in
// file-digests.ts): one sequential read of the file through its own descriptor, hashed here, so the MD5 (and the
// optional SHA-256) costs the upload's event loop nothing. Run as compiled JavaScript from dist/, and as
// TypeScript (Node's type stripping) when the tests run the sources: hence no relative imports and only erasable
// syntax here.
import { createHash } from "node:crypto";
import { parentPort, workerData } from "node:worker_threads";
import { BufferPool, DirectReadFile } from "@adlkit/bulk-io";

/** What the thread is asked to do (its `workerData`). */
export interface DigestJob {
  path: string;
  /** Bytes to hash from the start (the size the upload sends). */
  size: number;
  md5: boolean;
  sha256: boolean;
  /** Read around the page cache, as the upload's own reads do. */
  direct: boolean;
  /** Bytes per read; two buffers of it, one read while the other is hashed. */
  pieceSize: number;
  /** Element 0 turns non-zero when the upload no longer needs the digests: stop at the next piece. */
  stop: Int32Array;
}

/** What the thread reports: progress (for the stall watchdog), the digests, or where the file ended too soon. */
export type DigestMessage =
  | { kind: "progress" }
  | { kind: "done"; md5: string | undefined; sha256: string | undefined }
  | { kind: "shrank"; at: number };

/** A progress message per this many bytes hashed: the watchdog hears of the hashing, the thread stays quiet. */
const PROGRESS_EVERY = 64 * 1024 * 1024;

async function run(job: DigestJob, post: (message: DigestMessage) => void): Promise<void> {
  const md5 = job.md5 ? createHash("md5") : undefined;
  const sha = job.sha256 ? createHash("sha256") : undefined;
  const pieceSize = Math.max(1, Math.min(job.pieceSize, job.size));
  const pool = new BufferPool(pieceSize, 2, job.direct);
  const file = await DirectReadFile.open(job.path, { direct: job.direct });
  try {
    let current = pool.take();
    let spare = pool.take();
    // Fills `buffer` with the bytes at `at` (fewer only at the end); undefined if the file ends before `size`.
    const readAt = async (buffer: Buffer, at: number): Promise<Buffer | undefined> => {
      const want = Math.min(buffer.byteLength, job.size - at);
      let filled = 0;
      while (filled < want) {
        const n = await file.read(
          buffer.subarray(filled),
          want - filled,
          at + filled,
          filled === 0 && pool.isAligned(buffer),
        );
        if (n === 0) return undefined;
        filled += n;
      }
      return buffer.subarray(0, want);
    };
    let next = job.size > 0 ? readAt(current, 0) : undefined;
    let sinceProgress = 0;
    for (let at = 0; next; ) {
      const piece = await next;
      if (Atomics.load(job.stop, 0) !== 0) return;
      if (!piece) {
        post({ kind: "shrank", at });
        return;
      }
      at += piece.byteLength;
      next = at < job.size ? readAt(spare, at) : undefined;
      md5?.update(piece);
      sha?.update(piece);
      sinceProgress += piece.byteLength;
      if (sinceProgress >= PROGRESS_EVERY) {
        sinceProgress = 0;
        post({ kind: "progress" });
      }
      [current, spare] = [spare, current];
    }
    post({ kind: "done", md5: md5?.digest("base64"), sha256: sha?.digest("hex") });
  } finally {
    await file.close();
  }
}

if (parentPort) {
  const port = parentPort;
  // An error thrown here ends the thread with an 'error' event on the caller's side.
  await run(workerData as DigestJob, (message) => port.postMessage(message));
}
