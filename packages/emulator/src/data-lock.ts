import { randomBytes } from "node:crypto";
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";

/** What the lock file says about the emulator that holds a data directory. */
export interface LockHolder {
  pid: number;
  /** The port it serves on; null while it is still starting. */
  port: number | null;
  startedAt: string;
  /** Identifies the process beyond its pid (Linux: its start time), so a reused pid is not taken for it. */
  processStart: string | null;
  /** Identifies one emulator among those of one process. */
  token: string;
}

/** A second emulator asked for a data directory another one is using. */
export class DataDirectoryInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    const port = holder.port === null ? "port not known yet: it is starting" : `port ${holder.port}`;
    super(
      `the data directory ${dataDir} is in use by another adl-emulator (pid ${holder.pid}, ${port}, since ${holder.startedAt}). ` +
        "Stop that one first, or start this one with another --data directory.",
    );
    this.name = "DataDirectoryInUseError";
  }
}

const LOCK_FILE = "emulator.lock";
/** Tokens of the emulators this process runs now: a lock with our pid but none of these is a dead namesake's. */
const heldHere = new Set<string>();

/**
 * An exclusive claim on a data directory (`DIR/emulator.lock`), so that two emulators never share one: the
 * second refuses to start and names the first. A lock whose process is gone (killed, crashed) is taken over.
 * The file is created whole (written aside, then hard-linked into place), so nobody reads half a lock.
 */
export class DataDirectoryLock {
  readonly #file: string;
  #holder: LockHolder;
  #released = false;

  private constructor(file: string, holder: LockHolder) {
    this.#file = file;
    this.#holder = holder;
  }

  /** Takes the lock of `dataDir`, or throws `DataDirectoryInUseError` naming the emulator that has it. */
  static acquire(dataDir: string): DataDirectoryLock {
    const file = path.join(dataDir, LOCK_FILE);
    const holder: LockHolder = {
      pid: process.pid,
      port: null,
      startedAt: new Date().toISOString(),
      processStart: processStart(process.pid),
      token: randomBytes(12).toString("hex"),
    };
    for (let attempt = 0; attempt < 5; attempt++) {
      if (createWhole(file, holder)) {
        heldHere.add(holder.token);
        return new DataDirectoryLock(file, holder);
      }
      const current = readHolder(file);
      if (current && isAlive(current)) throw new DataDirectoryInUseError(dataDir, current);
      takeOverStale(file, dataDir);
    }
    throw new Error(`cannot take the lock ${file}: it keeps changing (another emulator starting at once?)`);
  }

  /** Records the port once the server listens (the message a second emulator prints names it). */
  setPort(port: number): void {
    if (this.#released) return;
    this.#holder = { ...this.#holder, port };
    const aside = `${this.#file}.${this.#holder.token}.tmp`;
    writeFileSync(aside, `${JSON.stringify(this.#holder)}\n`, { mode: 0o600 });
    renameSync(aside, this.#file);
  }

  /** Gives the directory up (only if the lock is still ours). */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    heldHere.delete(this.#holder.token);
    if (readHolder(this.#file)?.token === this.#holder.token) unlinkQuietly(this.#file);
  }
}

/** Creates `file` with `holder` in it, atomically; false when it exists already. */
function createWhole(file: string, holder: LockHolder): boolean {
  const aside = `${file}.${holder.token}.tmp`;
  writeFileSync(aside, `${JSON.stringify(holder)}\n`, { mode: 0o600 });
  try {
    linkSync(aside, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  } finally {
    unlinkQuietly(aside);
  }
}

/**
 * Removes a lock whose holder is gone. It is first renamed aside (only one of two emulators starting at once can
 * do that to the same file); if what was renamed turns out to be alive (someone took the lock over in between),
 * it is put back and the directory is in use.
 */
function takeOverStale(file: string, dataDir: string): void {
  const aside = `${file}.stale-${randomBytes(6).toString("hex")}`;
  try {
    renameSync(file, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return; // gone already: try to create it again
    throw err;
  }
  const taken = readHolder(aside);
  if (taken && isAlive(taken)) {
    try {
      linkSync(aside, file);
    } catch {
      // someone else holds a newer lock: theirs stands
    }
    unlinkQuietly(aside);
    throw new DataDirectoryInUseError(dataDir, taken);
  }
  unlinkQuietly(aside);
}

function readHolder(file: string): LockHolder | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as Partial<LockHolder>;
    if (typeof parsed.pid !== "number" || typeof parsed.token !== "string") return undefined;
    return {
      pid: parsed.pid,
      port: typeof parsed.port === "number" ? parsed.port : null,
      startedAt: String(parsed.startedAt ?? "an unknown time"),
      processStart: typeof parsed.processStart === "string" ? parsed.processStart : null,
      token: parsed.token,
    };
  } catch {
    return undefined; // missing or unreadable: not a lock anyone holds
  }
}

/** Whether the emulator that wrote `holder` still runs. */
function isAlive(holder: LockHolder): boolean {
  if (holder.pid === process.pid) return heldHere.has(holder.token);
  try {
    process.kill(holder.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  // The pid runs; on Linux, check it is the same process and not a later one that was given the same pid.
  const start = processStart(holder.pid);
  return holder.processStart === null || start === null || start === holder.processStart;
}

/** The start time of a process in clock ticks since boot (`/proc/PID/stat`, field 22), where there is a /proc. */
function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch {
    return null;
  }
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}
