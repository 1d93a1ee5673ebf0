import type { DirectIoFile } from "@adlkit/bulk-io";

/** How long a blob's writer stays open after its last write, waiting for the next APPEND to the same file. */
export const WRITER_IDLE_MS = 2000;
/** Writers kept open at most (per account); the one idle longest is closed to make room. */
const MAX_IDLE = 32;

interface Idle {
  file: DirectIoFile;
  timer: NodeJS.Timeout;
}

/**
 * Blob writers kept open between requests, so a file written by consecutive APPENDs (4 MiB each, hundreds per
 * GiB) costs one open and close of its two descriptors (buffered and O_DIRECT), not one per request.
 *
 * A writer is held by one request at a time (writes to one blob are serialised by its file's write lock): `take` removes it from here and `give` puts it back after a write
 * that was synced, so an idle writer has nothing in flight. This changes nothing a reader or a crash can see:
 * every write is still fdatasynced before it is acknowledged, and readers open their own descriptors and read
 * only up to the length recorded in the metadata. Writers are closed after `WRITER_IDLE_MS` without use, when their
 * blob is removed (also while a request holds it: it is closed instead of given back), and on `closeAll`.
 */
export class OpenWriters {
  /** Idle writers by blob id, the one given back longest ago first. */
  readonly #idle = new Map<string, Idle>();
  /** Blobs whose writer a request holds, and whether the blob was removed meanwhile. */
  readonly #held = new Map<string, { removed: boolean }>();
  #closed = false;
  readonly #idleMs: number;

  constructor(idleMs = WRITER_IDLE_MS) {
    this.#idleMs = idleMs;
  }

  /** The idle writer of `id`, now held by the caller (who must `give` it back or close it), if there is one. */
  take(id: string): DirectIoFile | undefined {
    const idle = this.#idle.get(id);
    if (idle) {
      this.#idle.delete(id);
      clearTimeout(idle.timer);
    }
    return idle?.file;
  }

  /** Marks `id`'s writer, taken or newly opened, as held by a request. */
  hold(id: string): void {
    this.#held.set(id, { removed: false });
  }

  /**
   * Ends a hold: keeps `file` open for the next request when `keep` (its last write succeeded and was synced,
   * and the blob was not removed meanwhile), otherwise closes it.
   */
  async release(id: string, file: DirectIoFile, keep: boolean): Promise<void> {
    const removed = this.#held.get(id)?.removed ?? false;
    this.#held.delete(id);
    if (!keep || removed || this.#closed || this.#idle.has(id)) {
      await file.close();
      return;
    }
    if (this.#idle.size >= MAX_IDLE) {
      const [oldest] = this.#idle.keys();
      if (oldest !== undefined) void this.#close(oldest);
    }
    const timer = setTimeout(() => void this.#close(id), this.#idleMs);
    timer.unref(); // an idle writer never keeps the process alive
    this.#idle.set(id, { file, timer });
  }

  /** Closes the writer of each blob that is going away (idle now, or when its request lets go of it). */
  async forget(ids: Iterable<string>): Promise<void> {
    const closing: Promise<void>[] = [];
    for (const id of ids) {
      const held = this.#held.get(id);
      if (held) held.removed = true;
      closing.push(this.#close(id));
    }
    await Promise.all(closing);
  }

  /** Closes every idle writer; writers still held are closed when released. */
  async closeAll(): Promise<void> {
    this.#closed = true;
    await this.forget([...this.#idle.keys()]);
  }

  /** Closes an idle writer. Its writes were all synced and acknowledged: a failing close loses nothing. */
  async #close(id: string): Promise<void> {
    await this.take(id)
      ?.close()
      .catch(() => {});
  }
}
