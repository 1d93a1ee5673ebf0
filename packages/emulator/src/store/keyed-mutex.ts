/**
 * One async lock per key (a file's id): writers of the same file queue up, different files proceed in
 * parallel. `acquire` takes its place in the queue synchronously, so a caller that created an item in the
 * same tick holds the lock before anyone else can ask for it.
 */
export class KeyedMutex<K> {
  readonly #tails = new Map<K, Promise<void>>();

  acquire(key: K): Promise<() => void> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => mine);
    this.#tails.set(key, tail);
    return previous.then(() => () => {
      release();
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
  }

  /** Locks several keys in a stable order (so two multi-key lockers cannot deadlock). */
  async acquireAll(keys: K[]): Promise<() => void> {
    const sorted = [...new Set(keys)].sort();
    const releases: Array<() => void> = [];
    for (const key of sorted) releases.push(await this.acquire(key));
    return () => {
      for (const release of releases.reverse()) release();
    };
  }
}
