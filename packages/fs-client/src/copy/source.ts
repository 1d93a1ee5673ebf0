import { createReadStream } from "node:fs";
import type { BodyController } from "@adlkit/core";
import { FsError, SourceChangedError } from "../errors.js";
import type { FileStatus } from "../types.js";
import type { Entry, Side } from "./endpoints.js";

/**
 * Bytes `[offset, offset + length)` of a source file as an async iterable of pieces, pulled by the consumer:
 * a remote body is paused while more than `highWater` bytes wait (so a range holds bounded memory whatever the
 * file's size) and continued where it broke by core's retry loop. A Gen2 read names the version the copy
 * started from (If-Match): a file replaced meanwhile fails with SourceChangedError rather than mixing versions.
 */
export function readSource(
  side: Side,
  entry: Entry,
  offset: number,
  length: number,
  highWater: number,
  signal: AbortSignal,
): AsyncIterable<Buffer> {
  if (length === 0) return (async function* () {})();
  if (side.kind === "local")
    return createReadStream(entry.path, {
      start: offset,
      end: offset + length - 1,
      highWaterMark: Math.min(highWater, 1024 * 1024),
      signal,
    });
  const version = { ...entry, etag: entry.etag } as unknown as FileStatus;
  return pulled(highWater, (sink) =>
    side.backend
      .readInto(entry.path, offset, length, sink, { abortSignal: signal, version })
      .catch((err: unknown) => {
        if (err instanceof FsError && err.status === 412)
          throw new SourceChangedError(`copy ${entry.path}: the file changed at the source during the copy`, {
            path: entry.path,
            expected: entry.etag ?? String(entry.length),
            actual: "another version (the service refused the read: condition not met)",
          });
        throw err;
      }),
  );
}

type Sink = (piece: Buffer, controller: BodyController) => void;

/** Turns a push-style body (sink + controller) into a pull-style async iterable with backpressure. */
async function* pulled(highWater: number, start: (sink: Sink) => Promise<number>): AsyncGenerator<Buffer> {
  const queue: Buffer[] = [];
  let queued = 0;
  let controller: BodyController | undefined;
  let paused = false;
  let finished = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const running = start((piece, c) => {
    controller = c;
    queue.push(piece);
    queued += piece.byteLength;
    if (queued > highWater && !paused) {
      paused = true;
      c.pause();
    }
    notify();
  }).then(
    () => {
      finished = true;
      notify();
    },
    (err: unknown) => {
      failure = err ?? new Error("the read failed");
      finished = true;
      notify();
    },
  );
  try {
    for (;;) {
      const piece = queue.shift();
      if (piece) {
        queued -= piece.byteLength;
        if (paused && queued <= highWater / 2) {
          paused = false;
          controller?.resume();
        }
        yield piece;
        continue;
      }
      if (failure !== undefined) throw failure;
      if (finished) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    if (!finished) {
      controller?.abort(new Error("the copy stopped reading this range"));
      if (paused) controller?.resume();
    }
    await running;
  }
}
