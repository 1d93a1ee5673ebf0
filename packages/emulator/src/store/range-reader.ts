// The read path of BlobStore: consecutive blob ranges sent to a response from two pooled buffers in turn.
import type { Writable } from "node:stream";
import { type BufferPool, DIRECT_IO_ALIGNMENT, type DirectReadFile } from "@adlkit/bulk-io";

/** Opened blob ranges, ready to be written out once; closes its files when done. */
export interface RangeReader {
  sendTo(sink: Writable): Promise<void>;
}

/** A byte range of one blob, half-open: [start, end). */
export interface BlobRange {
  blob: string;
  start: number;
  end: number;
}

/**
 * Sends `ranges` (each read from the opened file at the same index) into a sink: each pooled buffer is read while
 * the last is being written, and each write waits until the sink has taken it, so memory stays bounded under many
 * parallel reads. Closes the files when done, whatever happens.
 */
export function rangeReader(ranges: BlobRange[], files: DirectReadFile[], pool: BufferPool): RangeReader {
  return {
    async sendTo(sink) {
      const buffers = [pool.take(), pool.take()];
      const pieces = pieceReader(ranges, files, pool);
      let pending: Promise<Piece | undefined> | undefined;
      try {
        let turn = 0;
        pending = pieces.next(buffers[turn]!);
        for (let piece = await pending; piece; piece = await pending) {
          turn ^= 1;
          pending = pieces.next(buffers[turn]!); // read ahead while this one is written
          await writeAndWait(sink, piece.bytes);
        }
      } finally {
        await pending?.catch(() => {}); // never hand back a buffer a read is still filling
        for (const buffer of buffers) pool.give(buffer);
        await Promise.all(files.map((f) => f.close()));
      }
    },
  };
}

interface Piece {
  bytes: Buffer;
}

/**
 * Reads the ranges in order, one piece per call into the buffer given: up to a buffer's length, cut at the
 * first 4 KiB boundary of a blob when its range starts off one (so that the following reads are aligned).
 */
function pieceReader(ranges: BlobRange[], files: DirectReadFile[], pool: BufferPool) {
  let index = 0;
  let position = ranges[0]?.start ?? 0;
  return {
    async next(buffer: Buffer): Promise<Piece | undefined> {
      while (index < ranges.length && position >= ranges[index]!.end) {
        index++;
        position = ranges[index]?.start ?? 0;
      }
      const range = ranges[index];
      if (!range) return undefined;
      const misalignment = position % DIRECT_IO_ALIGNMENT;
      const room = misalignment === 0 ? buffer.length : DIRECT_IO_ALIGNMENT - misalignment;
      const length = Math.min(room, range.end - position);
      const n = await files[index]!.read(buffer, length, position, pool.isAligned(buffer));
      if (n === 0) throw new Error(`blob ${range.blob} is shorter than its recorded length`);
      position += n;
      return { bytes: buffer.subarray(0, n) };
    },
  };
}

/** Resolves once `sink` has taken `chunk` (its write callback ran); rejects if the sink fails or closes first. */
function writeAndWait(sink: Writable, chunk: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    if (sink.destroyed) {
      reject(new Error("the response was closed"));
      return;
    }
    const onClose = () => reject(new Error("the response was closed"));
    sink.once("close", onClose);
    sink.write(chunk, (err) => {
      sink.off("close", onClose);
      if (err) reject(err);
      else resolve();
    });
  });
}
