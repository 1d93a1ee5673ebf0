import { createHash } from "node:crypto";
import { Worker } from "node:worker_threads";
import type { BufferPool } from "@adlkit/bulk-io";
import type { TransferContext } from "../transfer/context.js";
import { LocalFileShrankError, type ReadAt, readFully, UPLOAD_PIECE } from "../transfer/file-body.js";
import type { DigestJob, DigestMessage } from "./digest-worker.js";

/** The whole file's MD5 (base64, for the flush's `x-ms-content-md5`) and SHA-256 (hex), each if asked for. */
export interface Digests {
  md5: string | undefined;
  sha256: string | undefined;
}

/** Digests being computed beside an upload's appends. */
export interface DigestRun {
  /** The digests once the whole file has been read; rejects if the read fails or the transfer is aborted. */
  readonly result: Promise<Digests>;
  /** Stops the hashing if it still runs (the upload failed) and resolves once nothing of it runs any more. */
  stop(): Promise<void>;
}

/**
 * From this size up the file is hashed in a worker thread: starting one costs a few tens of ms of CPU, about what
 * hashing this many bytes on the event loop takes.
 */
export const DIGEST_WORKER_MIN_SIZE = 32 * 1024 * 1024;

/**
 * Hashing threads alive at once in the process. Each holds a JavaScript heap of its own, and more of them than
 * cores gain nothing: uploads past the limit (a tree of large files) hash on the event loop.
 */
const MAX_DIGEST_WORKERS = 2;
let digestWorkers = 0;

/** Hashing threads alive now (all of them end before the upload that started them returns). */
export function liveDigestWorkers(): number {
  return digestWorkers;
}

/**
 * Starts hashing the upload's source file from the start to `size`, beside its appends. The flush waits for the
 * MD5, so where it is computed decides whether the upload waits for it: on the event loop, the hashing (the
 * upload's largest CPU cost) runs between the sends; in a worker thread it runs on another core while the event
 * loop sends. Large files get a worker, which reads the file itself through its own descriptor; small ones (and
 * those past the process's worker limit) are hashed here, from `read` into two buffers from `buffers`.
 */
export function startDigests(
  ctx: TransferContext,
  source: { localPath: string; size: number; read: ReadAt; buffers: BufferPool; direct: boolean },
  want: { md5: boolean; sha256: boolean },
): DigestRun {
  if (!want.md5 && !want.sha256)
    return { result: Promise.resolve({ md5: undefined, sha256: undefined }), stop: async () => {} };
  if (source.size >= DIGEST_WORKER_MIN_SIZE && digestWorkers < MAX_DIGEST_WORKERS)
    return workerDigests(ctx, source, want);
  const pair = [source.buffers.take(), source.buffers.take()] as const;
  let stopped = false;
  const result = inlineDigests(ctx, source.read, source.size, pair, { ...want, stopped: () => stopped });
  // The buffers go back only once no read into them runs.
  const done = result.then(
    () => {},
    () => {},
  );
  void done.then(() => {
    source.buffers.give(pair[0]);
    source.buffers.give(pair[1]);
  });
  result.catch(() => {}); // awaited by the upload unless it failed first
  return {
    result,
    stop: () => {
      stopped = true;
      return done;
    },
  };
}

/** The worker's module: compiled JavaScript in dist/ (also in the CLI's bundle), TypeScript beside the sources. */
const workerUrl = new URL(
  import.meta.url.endsWith(".ts") ? "./digest-worker.ts" : "./digest-worker.js",
  import.meta.url,
);

function workerDigests(
  ctx: TransferContext,
  source: { localPath: string; size: number; direct: boolean },
  want: { md5: boolean; sha256: boolean },
): DigestRun {
  const stopFlag = new Int32Array(new SharedArrayBuffer(4));
  const job: DigestJob = {
    path: source.localPath,
    size: source.size,
    ...want,
    direct: source.direct,
    pieceSize: UPLOAD_PIECE,
    stop: stopFlag,
  };
  const worker = new Worker(workerUrl, { workerData: job });
  digestWorkers++;
  const exited = new Promise<void>((resolve) =>
    worker.once("exit", () => {
      digestWorkers--;
      resolve();
    }),
  );
  const stop = () => {
    Atomics.store(stopFlag, 0, 1);
    return exited;
  };
  const onAbort = () => void stop();
  ctx.signal.addEventListener("abort", onAbort, { once: true });
  const result = new Promise<Digests>((resolve, reject) => {
    worker.on("message", (message: DigestMessage) => {
      if (message.kind === "progress") ctx.touch();
      else if (message.kind === "done") resolve({ md5: message.md5, sha256: message.sha256 });
      else
        reject(
          new LocalFileShrankError(`The local file got shorter while being uploaded (at byte ${message.at})`),
        );
    });
    worker.once("error", reject);
    void exited.then(() => {
      ctx.signal.removeEventListener("abort", onAbort);
      if (ctx.signal.aborted) reject(ctx.abortError());
      else reject(new Error("the digest thread ended without a result"));
    });
  });
  result.catch(() => {}); // awaited by the upload unless it failed first
  return { result, stop };
}

/**
 * The whole file's digests in one sequential read through the upload's own descriptor, on the event loop. The
 * pieces are read into two reused buffers that take turns (the next read runs while the current piece is
 * hashed), so memory stays at the two buffers and no garbage Buffer is left per piece (a `createReadStream`
 * allocates one per piece, which V8 frees only with a full collection).
 */
async function inlineDigests(
  ctx: TransferContext,
  read: ReadAt,
  size: number,
  buffers: readonly [Buffer, Buffer],
  want: { md5: boolean; sha256: boolean; stopped: () => boolean },
): Promise<Digests> {
  const md5 = want.md5 ? createHash("md5") : undefined;
  const sha = want.sha256 ? createHash("sha256") : undefined;
  let [current, spare] = buffers;
  const readAt = (buffer: Buffer, at: number) =>
    readFully(read, buffer, Math.min(buffer.byteLength, size - at), at);
  let next = size > 0 ? readAt(current, 0) : undefined;
  for (let at = 0; next; ) {
    const piece = await next;
    at += piece.byteLength;
    ctx.throwIfAborted();
    if (want.stopped()) throw new Error("the upload failed; its digests are not needed");
    next = at < size ? readAt(spare, at) : undefined;
    md5?.update(piece);
    sha?.update(piece);
    ctx.touch();
    [current, spare] = [spare, current];
  }
  return { md5: md5?.digest("base64"), sha256: sha?.digest("hex") };
}
