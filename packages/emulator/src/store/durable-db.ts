import { closeSync, fdatasync, openSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";
import { GroupSync } from "./group-sync.js";

/**
 * One SQLite file whose transactions become durable on `flush()`.
 *
 * The database runs in WAL mode with `synchronous=NORMAL`: a COMMIT appends its frames to the WAL with write(2)
 * and returns without an fsync. That alone already survives a crash of the emulator process (SIGKILL, an uncaught
 * exception, the OOM killer): the bytes are in the kernel's page cache, and SQLite replays the WAL on the next
 * open. To keep the stronger guarantee the emulator always gave (FULL: an acknowledged change also survives power
 * loss or a kernel crash), `flush()` then fdatasyncs the WAL file itself, on the thread pool rather than inside
 * COMMIT on the event loop, and shared by every request that committed meanwhile (group commit). fsync works on
 * the file, not the descriptor, so syncing our own descriptor of `*-wal` makes the frames SQLite wrote durable
 * exactly as its own FULL sync would; SQLite takes no locks on the WAL file, and we close our descriptor only
 * after the database.
 */
export class DurableDatabase {
  readonly db: DatabaseSync;
  readonly #walFile: string;
  #walFd: number | undefined;
  /** Commits since the last WAL sync started. */
  #unsynced = false;
  readonly #walSync = new GroupSync(() => this.#syncWal());

  constructor(file: string) {
    this.db = new DatabaseSync(file);
    this.#walFile = `${file}-wal`;
    this.db.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
  }

  /**
   * Runs `fn` in one write transaction (BEGIN IMMEDIATE … COMMIT); rolls back if it throws. The change is visible
   * at once and survives a crash of the process; call `flush()` (or use `commit()`) before acknowledging it.
   */
  transaction<T>(fn: () => T): T {
    this.db.exec("BEGIN IMMEDIATE");
    try {
      const result = fn();
      this.db.exec("COMMIT");
      this.#unsynced = true;
      return result;
    } catch (err) {
      this.db.exec("ROLLBACK");
      throw err;
    }
  }

  /** `transaction(fn)`, then `flush()`: the change is durable when the promise resolves. */
  async commit<T>(fn: () => T): Promise<T> {
    const result = this.transaction(fn);
    await this.flush();
    return result;
  }

  /** Makes every transaction committed so far durable (one shared fdatasync of the WAL). */
  flush(): Promise<void> {
    // Nothing committed since the last sync started: that one (if still running) covers everything.
    if (!this.#unsynced) return this.#walSync.running() ?? Promise.resolve();
    return this.#walSync.sync();
  }

  #syncWal(): Promise<void> {
    this.#unsynced = false;
    return new Promise<void>((resolve, reject) => {
      if (!this.db.isOpen) throw new Error("the metadata store is closed");
      this.#walFd ??= openSync(this.#walFile, "r+");
      fdatasync(this.#walFd, (err) => (err ? reject(err) : resolve()));
    }).catch((err: unknown) => {
      this.#unsynced = true;
      throw err;
    });
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
    if (this.#walFd !== undefined) closeSync(this.#walFd);
    this.#walFd = undefined;
  }
}
