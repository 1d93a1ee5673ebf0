import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, unlinkSync } from "node:fs";
import { type FileHandle, open, unlink } from "node:fs/promises";
import path from "node:path";
import type { Writable } from "node:stream";
import { BufferPool, DIRECT_IO_ALIGNMENT, DirectIoFile, noteStreamedBytes } from "@adlkit/bulk-io";
import { GroupSync } from "./group-sync.js";

/** Bytes per write of an upload (and per pooled buffer). */
const WRITE_BUFFER_BYTES = 1024 * 1024;
/** Full buffers of one request that may wait for the disk before its body stream waits. */
const WRITES_IN_FLIGHT = 2;
/** Aligned buffers for direct I/O: enough for ~16 uploads at once; more get plain buffers (page cache). */
const ALIGNED_BUFFERS = 48;

/** One pool for every account's blobs in this process, made on the first upload (an idle emulator holds none). */
let sharedBuffers: BufferPool | undefined;
const writeBuffers = (): BufferPool =>
  (sharedBuffers ??= new BufferPool(WRITE_BUFFER_BYTES, ALIGNED_BUFFERS, true));
const BLOB_ID = /^[0-9a-f]{32}$/;
/** Size of the one buffer a read reuses for its whole range. */
const READ_BUFFER_BYTES = 256 * 1024;

export class BodyTooLargeError extends Error {
  override name = "BodyTooLargeError";
}

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
 * File bytes on disk, one file per blob, named by a random internal id (never by a user path, so no
 * request can name a file outside the directory). Writes are positional and flushed with fdatasync before
 * they are acknowledged; bytes past the length recorded in the metadata are ignored and later overwritten.
 */
export class BlobStore {
  readonly #dir: string;
  readonly #directIo: boolean;

  /** `directIo`: write whole aligned blocks around the page cache (see `write`). @default true */
  constructor(dir: string, options: { directIo?: boolean } = {}) {
    this.#dir = dir;
    this.#directIo = options.directIo ?? true;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  newId(): string {
    return randomBytes(16).toString("hex");
  }

  #file(id: string): string {
    if (!BLOB_ID.test(id)) throw new Error(`invalid blob id '${id}'`);
    return path.join(this.#dir, id);
  }

  /**
   * Streams `source` into a blob at `position` and makes it durable (fdatasync, and for a new blob (`create`)
   * its directory entry) before resolving; returns the byte count. Throws `BodyTooLargeError` past `limit` bytes.
   *
   * Chunks are copied as they arrive into pooled 1 MiB buffers, page-aligned in the file (a first, shorter
   * buffer reaches the next 4 KiB boundary), and each full buffer is written while the next fills, at most
   * `WRITES_IN_FLIGHT` per request before the request stream waits (backpressure when the disk is slower than
   * the network). Whole aligned buffers go to the disk with direct I/O, around the page cache; the rest goes
   * through it (see @adlkit/bulk-io). The copy lets each chunk die young: holding chunks until they were
   * written (a writev of the chunks themselves) got many of them promoted by the minor GCs, and the old
   * generation then needed a mark-compact every ~50 ms of a long upload. One fdatasync after the last write
   * makes it all durable.
   */
  async write(
    id: string,
    source: AsyncIterable<Buffer>,
    position: number,
    options: { create: boolean; limit: number },
  ): Promise<number> {
    const file = await DirectIoFile.open(this.#file(id), options.create ? "wx" : "r+", {
      direct: this.#directIo,
      mode: 0o600,
    });
    const pool = writeBuffers();
    const writes: Promise<void>[] = [];
    let failure: unknown;
    let buffer: Buffer | undefined;
    let filled = 0;
    let bufferAt = position;
    let written = 0;
    const flush = () => {
      const full = buffer as Buffer;
      const length = filled;
      const at = bufferAt;
      buffer = undefined;
      filled = 0;
      bufferAt += length;
      writes.push(
        file.write(full, length, at, pool.isAligned(full)).then(
          () => pool.give(full),
          (err: unknown) => {
            pool.give(full);
            failure ??= err;
          },
        ),
      );
    };
    try {
      for await (const chunk of source) {
        written += chunk.length;
        if (written > options.limit) throw new BodyTooLargeError(`body exceeds ${options.limit} bytes`);
        noteStreamedBytes(chunk.length);
        for (let from = 0; from < chunk.length; ) {
          if (buffer === undefined) {
            while (writes.length >= WRITES_IN_FLIGHT) await writes.shift();
            if (failure !== undefined) throw failure;
            buffer = pool.take();
          }
          const misalignment = bufferAt % DIRECT_IO_ALIGNMENT;
          const room = (misalignment === 0 ? buffer.length : DIRECT_IO_ALIGNMENT - misalignment) - filled;
          const n = Math.min(room, chunk.length - from);
          chunk.copy(buffer, filled, from, from + n);
          filled += n;
          from += n;
          if (n === room) flush();
        }
      }
      if (buffer !== undefined && filled > 0) flush();
      await Promise.all(writes);
      if (failure !== undefined) throw failure;
      if (written > 0) await file.datasync();
    } finally {
      // Never close the file under a write that is still running (an error cut the loop short).
      if (buffer !== undefined) pool.give(buffer); // a body cut short: its partly filled buffer is not written
      await Promise.all(writes);
      await file.close();
    }
    if (options.create) await this.#directorySync.sync();
    return written;
  }

  /** fsync of the blob directory, shared by concurrent creators (group commit). */
  readonly #directorySync = new GroupSync(async () => {
    const dir = await open(this.#dir, "r");
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  });

  /**
   * Opens consecutive ranges for one read. `sendTo` writes them through one reusable buffer, waiting for each
   * write to be taken, so no per-chunk allocation piles up under many parallel reads. Every blob is opened
   * before anything is sent, so a concurrent delete or overwrite of the file cannot cut the read short.
   */
  async openRanges(ranges: BlobRange[]): Promise<RangeReader> {
    const handles: FileHandle[] = [];
    try {
      for (const range of ranges) handles.push(await open(this.#file(range.blob), "r"));
    } catch (err) {
      await Promise.all(handles.map((h) => h.close()));
      throw err;
    }
    return {
      async sendTo(sink) {
        try {
          const buffer = Buffer.allocUnsafeSlow(READ_BUFFER_BYTES);
          for (const [i, range] of ranges.entries()) {
            let position = range.start;
            while (position < range.end) {
              const { bytesRead } = await handles[i]!.read(
                buffer,
                0,
                Math.min(buffer.length, range.end - position),
                position,
              );
              if (bytesRead === 0) throw new Error(`blob ${range.blob} is shorter than its recorded length`);
              await writeAndWait(sink, buffer.subarray(0, bytesRead));
              position += bytesRead;
            }
          }
        } finally {
          await Promise.all(handles.map((h) => h.close()));
        }
      },
    };
  }

  /** Deletes blobs that no longer belong to any file (after the metadata change is committed). */
  async remove(ids: Iterable<string>): Promise<void> {
    await Promise.all(
      [...ids].map((id) =>
        unlink(this.#file(id)).catch((err: NodeJS.ErrnoException) => {
          if (err.code !== "ENOENT") throw err;
        }),
      ),
    );
  }

  /** Removes blobs left by writes that crashed before their metadata was committed. Call before serving. */
  sweepOrphans(known: Set<string>): number {
    let removed = 0;
    for (const name of readdirSync(this.#dir)) {
      if (BLOB_ID.test(name) && !known.has(name)) {
        unlinkSync(path.join(this.#dir, name));
        removed++;
      }
    }
    return removed;
  }
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
