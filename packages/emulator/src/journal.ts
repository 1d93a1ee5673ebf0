/** One line of the request journal. Never holds tokens, secrets or bodies. */
export interface JournalEntry {
  time: string;
  requestId: string;
  clientRequestId?: string;
  method: string;
  /** Path without the query string (the query may carry secrets in some clients). */
  path: string;
  /** The operation: WebHDFS `op`, an ARM operation name, or an Entra endpoint. */
  op?: string;
  account?: string;
  /** Object id of the caller, when a token was verified. */
  principal?: string;
  status: number;
  durationMs: number;
  /** Set when the fault injector changed this request. */
  fault?: string;
}

const OTHER = "other";

/**
 * A bounded in-memory journal that tests and users read; when full, the newest entries replace the oldest.
 * A ring buffer, so recording stays O(1) however long the emulator runs. Beside it, a count of requests by
 * operation since the last clear, which the ring's limit does not cut short (a run of 100,000 requests still
 * says how many of each it sent); bounded by the number of distinct operations.
 */
export class Journal {
  readonly #ring: Array<JournalEntry | undefined>;
  readonly #counts = new Map<string, number>();
  #next = 0;
  #size = 0;

  constructor(limit = 20_000) {
    this.#ring = new Array(limit);
  }

  record(entry: JournalEntry): void {
    this.#ring[this.#next] = entry;
    this.#next = (this.#next + 1) % this.#ring.length;
    this.#size = Math.min(this.#size + 1, this.#ring.length);
    const op = entry.op ?? OTHER;
    this.#counts.set(op, (this.#counts.get(op) ?? 0) + 1);
  }

  /** Requests since the last clear by operation (`other` for those without one: Entra, health), all of them. */
  counts(): Record<string, number> {
    return Object.fromEntries(this.#counts);
  }

  /** Entries, oldest first, optionally filtered. */
  entries(filter?: (entry: JournalEntry) => boolean): JournalEntry[] {
    const out: JournalEntry[] = [];
    const start = (this.#next - this.#size + this.#ring.length) % this.#ring.length;
    for (let i = 0; i < this.#size; i++) {
      const entry = this.#ring[(start + i) % this.#ring.length]!;
      if (!filter || filter(entry)) out.push(entry);
    }
    return out;
  }

  clear(): void {
    this.#ring.fill(undefined);
    this.#counts.clear();
    this.#next = 0;
    this.#size = 0;
  }
}
