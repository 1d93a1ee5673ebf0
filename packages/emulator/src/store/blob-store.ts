import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, unlinkSync } from "node:fs";
import { open, unlink } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { BufferPool, DirectIoFile, DirectReadFile, noteStreamedBytes } from "@adlkit/bulk-io";
import { BlockSink, BodyTooLargeError, consume } from "./block-sink.js";
import { GroupSync } from "./group-sync.js";
import { OpenWriters } from "./open-writers.js";
import { type BlobRange, type RangeReader, rangeReader } from "./range-reader.js";

export { BodyTooLargeError } from "./block-sink.js";
export type { BlobRange, RangeReader } from "./range-reader.js";

/**
 * Bytes per write of an upload and per read of a download (the size of a pooled buffer). 2 MiB rather than 1:
 * half the writes, thread-pool round trips and response writes per GiB; measured side by side on 1 GiB, about
 * a tenth less CPU per GiB received and a fifth less per GiB served. 4 MiB saved little more and held more memory.
 */
const BLOCK_BYTES = 2 * 1024 * 1024;
/**
 * Aligned buffers for direct I/O (48 MiB, touched only as they are first used): enough for 8 uploads (three
 * each) or 12 downloads (two each) at once; more get plain buffers, which work through the page cache.
 */
const ALIGNED_BUFFERS = 24;

/** One pool for every account's blobs in this process, made on the first transfer (an idle emulator holds none). */
let sharedBuffers: BufferPool | undefined;
const blockBuffers = (): BufferPool => (sharedBuffers ??= new BufferPool(BLOCK_BYTES, ALIGNED_BUFFERS, true));
const BLOB_ID = /^[0-9a-f]{32}$/;

/**
 * File bytes on disk, one file per blob, named by a random internal id (never by a user path, so no
 * request can name a file outside the directory). Writes are positional and flushed with fdatasync before
 * they are acknowledged; bytes past the length recorded in the metadata are ignored and later overwritten.
 * The write path's loop is block-sink.ts, the read path's range-reader.ts, the writers kept open open-writers.ts.
 */
export class BlobStore {
  readonly #dir: string;
  readonly #directIo: boolean;
  readonly #writers: OpenWriters;

  /**
   * `directIo`: write whole aligned blocks around the page cache (see `write`). @default true
   * `writerIdleMs`: how long a writer kept open (`keepOpen`) waits for its next write. @default WRITER_IDLE_MS
   */
  constructor(dir: string, options: { directIo?: boolean; writerIdleMs?: number } = {}) {
    this.#dir = dir;
    this.#directIo = options.directIo ?? true;
    this.#writers = new OpenWriters(options.writerIdleMs);
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
   * `keepOpen`: more writes to this blob are expected soon (an APPEND that does not close its file), so its
   * descriptors stay open for them (see OpenWriters); otherwise they are closed before this resolves.
   *
   * Chunks are copied as they arrive into pooled 2 MiB buffers, page-aligned in the file (a first, shorter
   * buffer reaches the next 4 KiB boundary), and each full buffer is written while the next fills, at most
   * `WRITES_IN_FLIGHT` (block-sink.ts) per request before the request stream waits (backpressure when the disk is slower than
   * the network). Whole aligned buffers go to the disk with direct I/O, around the page cache; the rest goes
   * through it (see @adlkit/bulk-io). The copy lets each chunk die young: holding chunks until they were
   * written (a writev of the chunks themselves) got many of them promoted by the minor GCs, and the old
   * generation then needed a mark-compact every ~50 ms of a long upload. One fdatasync after the last write
   * makes it all durable.
   *
   * The body is taken with `data` events, not `for await` (pass the request itself, with `observe` to hash it): a TLS request body arrives as one chunk per TLS
   * record (~65,000 per GiB), and an async iterator costs each of them a promise, a microtask and a trip through
   * the stream's read buffer, which made up a large part of the emulator's CPU per GiB ingested.
   */
  async write(
    id: string,
    source: AsyncIterable<Buffer> | Readable,
    position: number,
    options: {
      create: boolean;
      limit: number;
      keepOpen?: boolean;
      /** Sees every chunk as it is taken (e.g. an MD5 of the body), without a second pass over the stream. */
      observe?: (chunk: Buffer) => void;
    },
  ): Promise<number> {
    const file =
      (options.create ? undefined : this.#writers.take(id)) ??
      (await DirectIoFile.open(this.#file(id), options.create ? "wx" : "r+", {
        direct: this.#directIo,
        mode: 0o600,
      }));
    this.#writers.hold(id);
    const sink = new BlockSink(file, blockBuffers(), position);
    let written = 0;
    let synced = false;
    const take = (chunk: Buffer) => {
      written += chunk.length;
      if (written > options.limit) throw new BodyTooLargeError(`body exceeds ${options.limit} bytes`);
      noteStreamedBytes(chunk.length);
      options.observe?.(chunk);
    };
    try {
      await consume(source instanceof Readable ? source : Readable.from(source), take, sink);
      await sink.finish();
      if (written > 0) await file.datasync();
      synced = true;
    } finally {
      // Never close the file under a write that is still running (an error cut the body short).
      await sink.abandon();
      await this.#writers.release(id, file, synced && options.keepOpen === true);
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
    return rangeReader(ranges, files, blockBuffers());
  }

  /** Deletes blobs that no longer belong to any file (after the metadata change is committed). */
  async remove(ids: Iterable<string>): Promise<void> {
    const list = [...ids];
    await this.#writers.forget(list);
    await Promise.all(
      list.map((id) =>
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

  /** Closes the writers kept open (the emulator or the account is closing). */
  close(): Promise<void> {
    return this.#writers.closeAll();
  }
}
