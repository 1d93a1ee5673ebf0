import { setImmediate as nextTurn } from "node:timers/promises";

/**
 * How long one piece of work may hold the event loop before it lets other requests run. Work whose size a
 * client controls (a walk over a tree, a long listing, reclaiming a deleted tree) runs in slices this long, so
 * one request delays the others by about this much, whatever its size.
 */
export const SLICE_MS = 10;

/** Tracks the current slice of one piece of work; `pause()` yields to the event loop once the slice is used up. */
export class TimeSlice {
  #started = performance.now();

  async pause(): Promise<void> {
    if (performance.now() - this.#started < SLICE_MS) return;
    await nextTurn();
    this.#started = performance.now();
  }
}
