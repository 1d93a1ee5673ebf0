import pLimit, { type LimitFunction } from "p-limit";

/**
 * Runs async tasks at most `limit` at a time, the others in order, first come first served: p-limit, which hands
 * a finishing task's slot straight to the next waiter, so a caller arriving in between can neither overtake the
 * queue nor push the number running past the limit. This class only adds what callers here need on top: an
 * abort signal checked when a waiting task gets its slot, and the `limit`/`running` names they use.
 */
export class Limiter {
  readonly limit: number;
  readonly #slots: LimitFunction;

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`limit must be a positive integer, not ${limit}`);
    this.limit = limit;
    this.#slots = pLimit(limit);
  }

  /** Tasks holding a slot now. */
  get running(): number {
    return this.#slots.activeCount;
  }

  /** Runs `task` in a slot; rejects with the signal's reason, without running it, if aborted while waiting. */
  run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.#slots(() => {
      signal?.throwIfAborted();
      return task();
    });
  }
}
