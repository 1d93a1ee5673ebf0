// The write path of BlobStore: a request body copied into pooled, block-aligned buffers and written out while
// the next buffer fills.
import { finished, type Readable } from "node:stream";
import type { BufferPool, DirectIoFile } from "@adlkit/bulk-io";
import { DIRECT_IO_ALIGNMENT } from "@adlkit/bulk-io";

/** Full buffers of one request that may wait for the disk before its body stream waits. */
const WRITES_IN_FLIGHT = 2;

export class BodyTooLargeError extends Error {
  override name = "BodyTooLargeError";
}

/**
 * Copies bytes into pooled buffers aligned to the file's 4 KiB blocks and writes each full buffer, at most
 * `WRITES_IN_FLIGHT` at once. `put` copies as much of a chunk as it can and returns how far it got: short of the
 * end when a buffer is needed and the writes in flight must finish first (`ready()` says when).
 */
export class BlockSink {
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
export function consume(stream: Readable, check: (chunk: Buffer) => void, sink: BlockSink): Promise<void> {
  return new Promise((resolve, reject) => {
    /** Chunks that came while the sink was waiting (a paused stream should send none, but order must hold). */
    const queued: Buffer[] = [];
    let waiting = false;
    let ended = false;
    let settled = false;
    let stopTaking = () => {};
    const settle = (err?: unknown) => {
      if (settled) return;
      settled = true;
      stopTaking();
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
    // Chunks pushed while nothing is buffered or waiting go straight to `onData`; the others take the stream's way.
    stopTaking = takePushedChunks(stream, (chunk) => {
      if (waiting || settled || stream.readableLength > 0 || stream.readableFlowing !== true) return false;
      // Anyone else listening would miss a chunk taken here: then every chunk takes the stream's way.
      if (stream.listenerCount("data") !== 1) return false;
      onData(chunk);
      return true;
    });
    stream.resume(); // a stream paused before it got here would otherwise never flow
  });
}

/**
 * Lets `take` have each chunk pushed into `stream` before it enters the stream's buffer; a chunk `take` refuses
 * (returns false for) is pushed as usual. Returns the function that ends this.
 *
 * Why: Node's HTTP parser pushes a request body into its IncomingMessage one TLS record at a time (~65,000 per
 * GiB), and each push runs the Readable machinery for one `data` event, which also queues a `process.nextTick`
 * per chunk (`maybeReadMore`), so every record costs a second trip into JavaScript. Taking the chunk at `push`
 * skips both; the stream's own path (buffering, pausing, `readStop` on a full buffer, the end) still handles
 * everything `take` refuses, and the end (`push(null)`) always goes that way. If Node ever stops calling
 * `push`, the chunks simply arrive as `data` events, the way this code also handles them.
 */
function takePushedChunks(stream: Readable, take: (chunk: Buffer) => boolean): () => void {
  if (Object.hasOwn(stream, "push")) return () => {}; // already replaced by someone else: leave it alone
  const push = stream.push;
  stream.push = function (chunk: unknown, encoding?: BufferEncoding): boolean {
    if (Buffer.isBuffer(chunk) && encoding === undefined && take(chunk)) return true;
    return push.call(this, chunk, encoding);
  };
  return () => {
    delete (stream as { push?: unknown }).push;
  };
}
