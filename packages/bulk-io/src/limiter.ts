/**
 * Runs async tasks at most `limit` at a time; the others wait in order, first come first served. A finishing
 * task hands its slot straight to the next waiter, so a caller arriving in between can neither overtake the
 * queue nor push the number running past the limit.
 */
export class Limiter {
  readonly limit: number;
  #running = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`limit must be a positive integer, not ${limit}`);
    this.limit = limit;
  }

  /** Tasks holding a slot now. */
  get running(): number {
    return this.#running;
  }

  /** Runs `task` in a slot; rejects with the signal's reason, without running it, if aborted while waiting. */
  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.#running < this.limit) this.#running++;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    try {
      signal?.throwIfAborted();
      return await task();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running--;
    }
  }
}
