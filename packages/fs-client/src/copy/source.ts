import { createReadStream } from "node:fs";
import type { BufferPool } from "@adlkit/bulk-io";
import type { BodyController } from "@adlkit/core";
import { FsError, SourceChangedError } from "../errors.js";
import type { FileStatus } from "../types.js";
import type { Entry, Side } from "./endpoints.js";

/**
 * Bytes of a range's body that may wait for the consumer before the body is paused (the size of each landing
 * buffer): with the block buffer, what a range in flight holds (a larger queue adds memory, not speed: the writes
 * are what the reads wait for).
 */
export const LANDING_BYTES = 1024 * 1024;

/**
 * Bytes `[offset, offset + length)` of a source file as an async iterable of pieces, pulled by the consumer, who
 * is done with a piece when it asks for the next. A remote body lands in a buffer of `landings` (reused: see
 * pulled) and is paused while that is full, so a range holds bounded memory whatever the file's size; a break is
 * continued where it broke by core's retry loop. A Gen2 read names the version the copy started from (If-Match):
 * a file replaced meanwhile fails with SourceChangedError rather than mixing versions.
 */
export function readSource(
  side: Side,
  entry: Entry,
  offset: number,
  length: number,
  landings: BufferPool,
  signal: AbortSignal,
): AsyncIterable<Buffer> {
  if (length === 0) return (async function* () {})();
  if (side.kind === "local")
    return createReadStream(entry.path, {
      start: offset,
      end: offset + length - 1,
      highWaterMark: landings.size,
      signal,
    });
  const version = { ...entry, etag: entry.etag } as unknown as FileStatus;
  return pulled(landings, (sink) =>
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

/**
 * Turns a push-style body (sink + controller) into a pull-style async iterable with backpressure. Each piece the
 * socket delivers (a fresh Buffer per TLS record) is copied into a landing buffer at once and dropped, so it dies
 * young: queued instead, pieces outlived minor collections and piled up in the old generation until a full one,
 * and the process grew with the bytes moved. The consumer gets views of what has landed; when it has taken all of
 * it and asks again, the buffer is reused from its start. A piece that does not fit is held (the body is paused)
 * until then.
 */
async function* pulled(landings: BufferPool, start: (sink: Sink) => Promise<number>): AsyncGenerator<Buffer> {
  const landing = landings.take();
  let begin = 0; // the next byte to hand out
  let end = 0; // the bytes landed
  let held: Buffer | undefined;
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
  const land = (piece: Buffer) => {
    piece.copy(landing, end);
    end += piece.byteLength;
  };
  const running = start((piece, c) => {
    controller = c;
    if (held || end + piece.byteLength > landing.byteLength) {
      // A body delivers nothing more once paused; the concat is for one that does.
      held = held ? Buffer.concat([held, piece]) : piece;
      if (!paused) {
        paused = true;
        c.pause();
      }
    } else land(piece);
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
      if (begin < end) {
        const view = landing.subarray(begin, end);
        begin = end;
        yield view;
        continue;
      }
      // The consumer is done with everything handed out: the buffer is free again.
      begin = 0;
      end = 0;
      if (held) {
        const piece = held;
        held = undefined;
        if (piece.byteLength > landing.byteLength) yield piece;
        else land(piece);
        if (paused) {
          paused = false;
          controller?.resume();
        }
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
    landings.give(landing);
  }
}
