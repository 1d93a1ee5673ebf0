/**
 * Group commit for one `fsync`-like operation: every caller of `sync()` gets a promise that settles once a sync
 * that *started after the call* has finished, and callers that arrive while one is running share the next one.
 * So N concurrent requests cost at most two syncs instead of N, and the syncs run off the event loop.
 */
export class GroupSync {
  readonly #run: () => Promise<void>;
  #running: Promise<void> | undefined;
  #queued: Promise<void> | undefined;

  constructor(run: () => Promise<void>) {
    this.#run = run;
  }

  sync(): Promise<void> {
    if (!this.#running) return this.#start();
    // The running sync may have started before the caller's change: wait for the next one.
    this.#queued ??= this.#running.then(
      () => this.#startQueued(),
      () => this.#startQueued(),
    );
    return this.#queued;
  }

  /** The sync started last, while it runs. */
  running(): Promise<void> | undefined {
    return this.#running;
  }

  #startQueued(): Promise<void> {
    this.#queued = undefined;
    return this.#start();
  }

  #start(): Promise<void> {
    const running: Promise<void> = this.#run().finally(() => {
      if (this.#running === running) this.#running = undefined;
    });
    this.#running = running;
    return running;
  }
}
