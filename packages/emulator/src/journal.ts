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

/** A bounded in-memory journal: tests read it; the newest entries win when it is full. */
export class Journal {
  readonly #entries: JournalEntry[] = [];
  readonly #limit: number;

  constructor(limit = 20_000) {
    this.#limit = limit;
  }

  record(entry: JournalEntry): void {
    this.#entries.push(entry);
    if (this.#entries.length > this.#limit) this.#entries.splice(0, this.#entries.length - this.#limit);
  }

  /** Entries, oldest first, optionally filtered. */
  entries(filter?: (entry: JournalEntry) => boolean): JournalEntry[] {
    return filter ? this.#entries.filter(filter) : [...this.#entries];
  }

  clear(): void {
    this.#entries.length = 0;
  }
}
