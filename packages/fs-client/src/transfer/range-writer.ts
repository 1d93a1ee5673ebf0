import type { BufferPool, DirectIoFile } from "@adlkit/bulk-io";
import type { BodyController } from "@adlkit/core";
import type { TransferContext } from "./context.js";

/**
 * Gathers body chunks into pooled buffers and queues each filled one for a write at its file offset; up to
 * `maxQueuedWrites` buffers may wait for the disk before the body is paused (chunks that arrive meanwhile
 * wait, in order, in a short list).
 */
export class RangeWriter {
  readonly #file: DirectIoFile;
  readonly #pool: BufferPool;
  readonly #ctx: TransferContext;
  readonly #maxQueuedWrites: number;
  #current: Buffer | undefined;
  #filled = 0;
  #fileOffset = 0;
  /** This range's writes not yet settled (the file runs several at once, so they may finish out of order). */
  readonly #writes = new Set<Promise<void>>();
  readonly #waiting: Buffer[] = [];
  #paused: BodyController | undefined;
  #controller: BodyController | undefined;
  #error: unknown;

  constructor(file: DirectIoFile, pool: BufferPool, ctx: TransferContext, maxQueuedWrites: number) {
    this.#maxQueuedWrites = maxQueuedWrites;
    this.#file = file;
    this.#pool = pool;
    this.#ctx = ctx;
  }

  start(fileOffset: number): void {
    this.#fileOffset = fileOffset;
    this.#filled = 0;
  }

  push(piece: Buffer, controller: BodyController): void {
    this.#ctx.touch();
    this.#controller = controller;
    if (this.#error !== undefined) return;
    if (this.#waiting.length > 0) {
      // Chunks already wait for a buffer: this one queues behind them, in order.
      this.#waiting.push(piece);
      this.#pause(controller);
    } else if (!this.#copy(piece, 0)) {
      this.#pause(controller);
    }
  }

  /** Copies `piece` from `from`; false (with the rest queued) when every buffer is busy. */
  #copy(piece: Buffer, from: number): boolean {
    let consumed = from;
    while (consumed < piece.byteLength) {
      if (this.#current === undefined) this.#current = this.#pool.take();
      const size = this.#current.byteLength;
      if (this.#filled === size) {
        if (this.#writes.size >= this.#maxQueuedWrites) {
          this.#waiting.push(consumed === 0 ? piece : piece.subarray(consumed));
          return false;
        }
        this.#writeCurrent();
        continue;
      }
      const n = Math.min(piece.byteLength - consumed, size - this.#filled);
      piece.copy(this.#current, this.#filled, consumed, consumed + n);
      this.#filled += n;
      consumed += n;
    }
    if (
      this.#current &&
      this.#filled === this.#current.byteLength &&
      this.#writes.size < this.#maxQueuedWrites
    )
      this.#writeCurrent();
    return true;
  }

  #pause(controller: BodyController): void {
    if (this.#paused === controller) return;
    this.#paused = controller;
    controller.pause();
  }

  #writeCurrent(): void {
    const buffer = this.#current as Buffer;
    const length = this.#filled;
    const at = this.#fileOffset;
    this.#current = undefined;
    this.#filled = 0;
    this.#fileOffset += length;
    const write: Promise<void> = this.#file.write(buffer, length, at, this.#pool.isAligned(buffer)).then(
      () => {
        this.#writes.delete(write);
        this.#pool.give(buffer);
        this.#ctx.addBytes(length);
        this.#drain();
      },
      (err) => {
        this.#writes.delete(write);
        this.#error ??= err;
        this.#controller?.abort(err as Error);
      },
    );
    this.#writes.add(write);
  }

  #drain(): void {
    while (this.#waiting.length > 0) {
      const piece = this.#waiting.shift() as Buffer;
      if (!this.#copy(piece, 0)) {
        // #copy queued the rest at the end; keep the order by moving it to the front.
        this.#waiting.unshift(this.#waiting.pop() as Buffer);
        return;
      }
    }
    if (
      this.#current &&
      this.#filled === this.#current.byteLength &&
      this.#writes.size < this.#maxQueuedWrites
    )
      this.#writeCurrent();
    const paused = this.#paused;
    this.#paused = undefined;
    paused?.resume();
  }

  throwIfFailed(): void {
    if (this.#error !== undefined) throw this.#error;
  }

  /** Writes what is left of the range; resolves when all of it is on disk. */
  async finish(): Promise<void> {
    while (this.#writes.size > 0 || this.#waiting.length > 0) {
      // Each write that settles drains waiting chunks into new writes, so wait until none is left.
      if (this.#writes.size > 0) await Promise.all(this.#writes);
      this.throwIfFailed();
      if (this.#writes.size === 0 && this.#waiting.length > 0) this.#drain();
    }
    this.throwIfFailed();
    if (this.#current && this.#filled > 0) {
      this.#writeCurrent();
      await Promise.all(this.#writes);
    } else if (this.#current) {
      this.#pool.give(this.#current);
      this.#current = undefined;
    }
    this.throwIfFailed();
  }
}
