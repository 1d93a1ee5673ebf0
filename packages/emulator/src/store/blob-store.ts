import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, unlinkSync } from "node:fs";
import { open, unlink } from "node:fs/promises";
import path from "node:path";
import { finished, Readable, type Writable } from "node:stream";
import {
  BufferPool,
  DIRECT_IO_ALIGNMENT,
  DirectIoFile,
  DirectReadFile,
  noteStreamedBytes,
} from "@adlkit/bulk-io";
import { GroupSync } from "./group-sync.js";

/**
 * Bytes per write of an upload and per read of a download (the size of a pooled buffer). 2 MiB rather than 1:
 * half the writes, thread-pool round trips and response writes per GiB; measured side by side on 1 GiB, about
 * a tenth less CPU per GiB received and a fifth less per GiB served. 4 MiB saved little more and held more memory.
 */
const BLOCK_BYTES = 2 * 1024 * 1024;
/** Full buffers of one request that may wait for the disk before its body stream waits. */
const WRITES_IN_FLIGHT = 2;
/**
 * Aligned buffers for direct I/O (48 MiB, touched only as they are first used): enough for 8 uploads (three
 * each) or 12 downloads (two each) at once; more get plain buffers, which work through the page cache.
 */
const ALIGNED_BUFFERS = 24;

/** One pool for every account's blobs in this process, made on the first transfer (an idle emulator holds none). */
let sharedBuffers: BufferPool | undefined;
const blockBuffers = (): BufferPool => (sharedBuffers ??= new BufferPool(BLOCK_BYTES, ALIGNED_BUFFERS, true));
const BLOB_ID = /^[0-9a-f]{32}$/;

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
 *
 * Long because: the write path and the read path share one buffer pool, one alignment rule and one naming rule,
 * and each is a single streaming loop that reads best whole.
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
   * Chunks are copied as they arrive into pooled 2 MiB buffers, page-aligned in the file (a first, shorter
   * buffer reaches the next 4 KiB boundary), and each full buffer is written while the next fills, at most
   * `WRITES_IN_FLIGHT` per request before the request stream waits (backpressure when the disk is slower than
   * the network). Whole aligned buffers go to the disk with direct I/O, around the page cache; the rest goes
   * through it (see @adlkit/bulk-io). The copy lets each chunk die young: holding chunks until they were
   * written (a writev of the chunks themselves) got many of them promoted by the minor GCs, and the old
   * generation then needed a mark-compact every ~50 ms of a long upload. One fdatasync after the last write
   * makes it all durable.
   *
   * The body is taken with `data` events, not `for await`: a TLS request body arrives as one chunk per TLS
   * record (~65,000 per GiB), and an async iterator costs each of them a promise, a microtask and a trip through
   * the stream's read buffer, which made up a large part of the emulator's CPU per GiB ingested.
   */
  async write(
    id: string,
    source: AsyncIterable<Buffer> | Readable,
    position: number,
    options: { create: boolean; limit: number },
  ): Promise<number> {
    const file = await DirectIoFile.open(this.#file(id), options.create ? "wx" : "r+", {
      direct: this.#directIo,
      mode: 0o600,
    });
    const sink = new BlockSink(file, blockBuffers(), position);
    let written = 0;
    const take = (chunk: Buffer) => {
      written += chunk.length;
      if (written > options.limit) throw new BodyTooLargeError(`body exceeds ${options.limit} bytes`);
      noteStreamedBytes(chunk.length);
    };
    try {
      await consume(source instanceof Readable ? source : Readable.from(source), take, sink);
      await sink.finish();
      if (written > 0) await file.datasync();
    } finally {
      // Never close the file under a write that is still running (an error cut the body short).
      await sink.abandon();
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
   * Opens consecutive ranges for one read. Every blob is opened before anything is sent, so a concurrent delete
   * or overwrite of the file cannot cut the read short.
   *
   * `sendTo` reads into two pooled 2 MiB buffers in turn: the next one is read while the last is being written
   * (each write waits until the sink has taken it, so memory stays bounded under many parallel reads). Aligned
   * 2 MiB reads go around the page cache (direct I/O, like the writes): a buffered read had the kernel copy every
   * byte out of the page cache, the largest single item of the emulator's CPU while serving (`copy_page_to_iter`
   * in a `perf` profile), and the blobs, written around the cache, were mostly not cached anyway. A start that is
   * not 4 KiB-aligned is read through the cache up to the next boundary; short tails too.
   */
  async openRanges(ranges: BlobRange[]): Promise<RangeReader> {
    const files: DirectReadFile[] = [];
    try {
      for (const range of ranges)
        files.push(await DirectReadFile.open(this.#file(range.blob), { direct: this.#directIo }));
    } catch (err) {
      await Promise.all(files.map((f) => f.close()));
      throw err;
    }
    return {
      async sendTo(sink) {
        const pool = blockBuffers();
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

/**
 * Copies bytes into pooled buffers aligned to the file's 4 KiB blocks and writes each full buffer, at most
 * `WRITES_IN_FLIGHT` at once. `put` copies as much of a chunk as it can and returns how far it got: short of the
 * end when a buffer is needed and the writes in flight must finish first (`ready()` says when).
 */
class BlockSink {
  readonly #file: DirectIoFile;
  readonly #pool: BufferPool;
  readonly #writes: Promise<void>[] = [];
  #failure: unknown;
  #buffer: Buffer | undefined;
  #filled = 0;
  #bufferAt: number;

  constructor(file: DirectIoFile, pool: BufferPool, position: number) {
    this.#file = file;
    this.#pool = pool;
    this.#bufferAt = position;
  }

  put(chunk: Buffer, from: number): number {
    while (from < chunk.length) {
      if (this.#buffer === undefined) {
        if (this.#failure !== undefined) throw this.#failure;
        if (this.#writes.length >= WRITES_IN_FLIGHT) return from;
        this.#buffer = this.#pool.take();
      }
      const misalignment = this.#bufferAt % DIRECT_IO_ALIGNMENT;
      const room =
        (misalignment === 0 ? this.#buffer.length : DIRECT_IO_ALIGNMENT - misalignment) - this.#filled;
      const n = Math.min(room, chunk.length - from);
      chunk.copy(this.#buffer, this.#filled, from, from + n);
      this.#filled += n;
      from += n;
      if (n === room) this.#flush();
    }
    return from;
  }

  /** Resolves when the oldest write in flight is done (room for one more buffer). */
  async ready(): Promise<void> {
    await this.#writes.shift();
    if (this.#failure !== undefined) throw this.#failure;
  }

  /** Writes the last, partly filled buffer and waits for every write; throws the first write's failure. */
  async finish(): Promise<void> {
    if (this.#buffer !== undefined && this.#filled > 0) this.#flush();
    await Promise.all(this.#writes);
    if (this.#failure !== undefined) throw this.#failure;
  }

  /** Waits for the writes still running and returns an unwritten buffer to the pool (a body cut short). */
  async abandon(): Promise<void> {
    if (this.#buffer !== undefined) this.#pool.give(this.#buffer);
    this.#buffer = undefined;
    await Promise.all(this.#writes);
  }

  #flush(): void {
    const full = this.#buffer as Buffer;
    const length = this.#filled;
    const at = this.#bufferAt;
    this.#buffer = undefined;
    this.#filled = 0;
    this.#bufferAt += length;
    this.#writes.push(
      this.#file.write(full, length, at, this.#pool.isAligned(full)).then(
        () => this.#pool.give(full),
        (err: unknown) => {
          this.#pool.give(full);
          this.#failure ??= err;
        },
      ),
    );
  }
}

/**
 * Feeds every chunk of `stream` to `sink` (after `check`, which may throw), pausing the stream while the sink
 * waits for its writes. Resolves when the stream has ended and every chunk was taken; rejects on the first
 * failure or when the stream closes or fails before its end.
 */
function consume(stream: Readable, check: (chunk: Buffer) => void, sink: BlockSink): Promise<void> {
  return new Promise((resolve, reject) => {
    /** Chunks that came while the sink was waiting (a paused stream should send none, but order must hold). */
    const queued: Buffer[] = [];
    let waiting = false;
    let ended = false;
    let settled = false;
    const settle = (err?: unknown) => {
      if (settled) return;
      settled = true;
      stream.off("data", onData);
      stopWatching();
      // Later errors of this body (a connection reset after a refusal) are no longer this function's to report.
      stream.on("error", () => {});
      if (err === undefined) resolve();
      else {
        // A body refused for its size stays readable: the handler drains the rest and answers 413/400 on a
        // connection that stays usable. Any other failure ends the body, as a `for await` loop left by a throw would.
        if (err instanceof BodyTooLargeError) stream.pause();
        else stream.destroy();
        reject(err);
      }
    };
    // Feeds `chunk` from `from` on; false if the sink must wait first (the stream is then paused, and the rest
    // of the chunk, the chunks queued meanwhile and the stream follow once it may go on).
    const feed = (chunk: Buffer, from: number): boolean => {
      if (settled) return false; // failed meanwhile: nothing more goes to the sink
      let upTo: number;
      try {
        upTo = sink.put(chunk, from);
      } catch (err) {
        settle(err);
        return false;
      }
      if (upTo === chunk.length) return true;
      waiting = true;
      stream.pause();
      sink.ready().then(
        () => {
          waiting = false;
          if (feed(chunk, upTo)) goOn();
        },
        (err: unknown) => settle(err),
      );
      return false;
    };
    const goOn = (): void => {
      for (let next = queued.shift(); next; next = queued.shift()) if (!feed(next, 0)) return;
      if (ended) settle();
      else stream.resume();
    };
    const onData = (chunk: Buffer): void => {
      if (settled) return;
      try {
        check(chunk);
      } catch (err) {
        settle(err);
        return;
      }
      if (waiting) queued.push(chunk);
      else feed(chunk, 0);
    };
    const stopWatching = finished(stream, { writable: false }, (err) => {
      if (err) settle(err);
      else {
        ended = true;
        if (!waiting) settle();
      }
    });
    stream.on("data", onData);
    stream.resume(); // a stream paused before it got here would otherwise never flow
  });
}
