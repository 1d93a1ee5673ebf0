import { Limiter } from "@adlkit/bulk-io";
import { AbortError, TimeoutError } from "@adlkit/core";
import type { TransferProgress } from "../types.js";

export interface TransferHooks {
  onProgress?: ((progress: TransferProgress) => void) | undefined;
}

/**
 * What every file of one `put`/`get` shares: the request limiter, the progress totals, one abort signal
 * (the caller's, or the watchdog's when nothing moved for `stallTimeoutInMs`).
 */
export class TransferContext {
  readonly chunks: Limiter;
  readonly signal: AbortSignal;
  readonly progress: TransferProgress = {
    bytesTransferred: 0,
    totalBytes: 0,
    filesCompleted: 0,
    totalFiles: 0,
  };
  readonly #controller = new AbortController();
  readonly #userSignal: AbortSignal | undefined;
  readonly #onProgress: TransferHooks["onProgress"];
  #lastProgressAt = Date.now();
  readonly #timer: NodeJS.Timeout;

  constructor(args: {
    concurrency: number;
    stallTimeoutInMs: number;
    abortSignal?: AbortSignal | undefined;
    onProgress?: TransferHooks["onProgress"];
  }) {
    this.chunks = new Limiter(args.concurrency);
    this.#userSignal = args.abortSignal;
    this.#onProgress = args.onProgress;
    this.signal = args.abortSignal
      ? AbortSignal.any([args.abortSignal, this.#controller.signal])
      : this.#controller.signal;
    const stall = args.stallTimeoutInMs;
    this.#timer = setInterval(
      () => {
        if (Date.now() - this.#lastProgressAt > stall) {
          this.#controller.abort(
            new TimeoutError(
              `The transfer made no progress for ${stall} ms (stallTimeoutInMs) and was stopped; run it again to resume.`,
            ),
          );
        }
      },
      Math.min(1000, Math.max(50, stall / 4)),
    );
    this.#timer.unref();
  }

  /** True when the caller aborted (as opposed to the watchdog or a failure). */
  get abortedByCaller(): boolean {
    return Boolean(this.#userSignal?.aborted);
  }

  /** Throws the reason if the transfer was aborted (caller or watchdog). */
  throwIfAborted(): void {
    if (this.signal.aborted) throw this.abortError();
  }

  abortError(): Error {
    if (this.#userSignal?.aborted)
      return new AbortError("The transfer was aborted.", this.#userSignal.reason);
    const reason = this.#controller.signal.reason;
    return reason instanceof Error ? reason : new AbortError("The transfer was aborted.", reason);
  }

  /** Something moved: feeds the watchdog. */
  touch(): void {
    this.#lastProgressAt = Date.now();
  }

  addFile(bytes: number): void {
    this.touch();
    this.progress.totalFiles++;
    this.progress.totalBytes += bytes;
    this.#emit();
  }

  addBytes(bytes: number): void {
    this.touch();
    this.progress.bytesTransferred += bytes;
    this.#emit();
  }

  fileDone(): void {
    this.touch();
    this.progress.filesCompleted++;
    this.#emit();
  }

  #emit(): void {
    this.#onProgress?.({ ...this.progress });
  }

  dispose(): void {
    clearInterval(this.#timer);
  }
}
