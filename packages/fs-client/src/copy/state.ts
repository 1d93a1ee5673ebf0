import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { type FileHandle, mkdir, open, rm } from "node:fs/promises";
import { homedir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { invalidArgument } from "../options.js";
import type { Version } from "./endpoints.js";

/** The first line of a state file: which copy it records. */
export interface StateHeader {
  v: 1;
  kind: "adlkit-copy";
  source: string;
  destination: string;
  /** Where the source's root lands (decided by the first run: a rerun must not land inside it). */
  target: string;
  /** Names this copy's staging files (`{target}.adlkit-copy.{runId}`), so a rerun replaces its own leftovers. */
  runId: string;
}

/** A file verified at the destination: `verified` just before its rename, `done` once published. */
export interface FileRecord extends Version {
  f: string;
  st: "verified" | "done";
  sha256: string[];
}

/**
 * A big file part way (Gen2): its staging file holds the first ranges committed (`committed` bytes, a flush that
 * kept the later ranges staged), whose digests are `sha256` (ranges of `chunkSize`). A line carries only the digests
 * new since the previous one (from index `first`); reading merges them.
 */
export interface PartialRecord extends Version {
  f: string;
  st: "partial";
  chunkSize: number;
  committed: number;
  first: number;
  sha256: string[];
}

/**
 * The record of one copy, one JSON line per finished item, appended as items finish: a run killed at any
 * moment leaves at worst a partial last line, which is ignored. A rerun with `resume` reads it back, skipping
 * what is done; without `resume` a new record replaces it.
 */
export class CopyState {
  readonly files = new Map<string, FileRecord>();
  /** Big files part way, by relative path (only until they are done). */
  readonly partial = new Map<string, PartialRecord>();
  readonly dirs = new Set<string>();
  #chain: Promise<void> = Promise.resolve();

  private constructor(
    readonly path: string,
    readonly header: StateHeader,
    readonly resumed: boolean,
    readonly handle: FileHandle,
  ) {}

  /** The default place: `~/.adlkit/copies/{hash of source and destination}.jsonl`. */
  static defaultPath(source: string, destination: string): string {
    const key = createHash("sha256").update(`${source}\n${destination}`).digest("hex").slice(0, 32);
    return path.join(homedir(), ".adlkit", "copies", `${key}.jsonl`);
  }

  static async open(
    file: string,
    fresh: Omit<StateHeader, "v" | "kind" | "runId">,
    resume: boolean,
  ): Promise<CopyState> {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    // Without resume, an unreadable old record is simply replaced.
    const read = resume ? await readState(file) : await readState(file).catch(() => undefined);
    const same =
      read?.header.source === fresh.source && read.header.destination === fresh.destination
        ? read
        : undefined;
    if (resume && read) {
      if (!same)
        throw invalidArgument(
          "resume",
          `the state file ${file} records a copy of ${read.header.source} to ${read.header.destination}, not this one`,
        );
      const state = new CopyState(file, same.header, true, await open(file, "a", 0o600));
      for (const [k, v] of same.files) state.files.set(k, v);
      for (const [k, v] of same.partial) if (!same.files.has(k)) state.partial.set(k, v);
      for (const d of same.dirs) state.dirs.add(d);
      return state;
    }
    // A new record of the same copy keeps its run id: the staging files a killed run left are then this run's
    // own names, replaced as it copies those files again.
    const runId = same?.header.runId ?? randomBytes(8).toString("hex");
    const header: StateHeader = { v: 1, kind: "adlkit-copy", ...fresh, runId };
    const handle = await open(file, "w", 0o600);
    const state = new CopyState(file, header, false, handle);
    await state.#append(header);
    return state;
  }

  file(record: FileRecord): Promise<void> {
    this.files.set(record.f, record);
    this.partial.delete(record.f);
    return this.#append(record);
  }

  /** Records that a big file's first ranges are committed: the digests from `first` on are new. */
  progress(record: PartialRecord): Promise<void> {
    const merged = mergePartial(this.partial.get(record.f), record);
    if (merged) this.partial.set(record.f, merged);
    return this.#append(record);
  }

  dir(rel: string): Promise<void> {
    this.dirs.add(rel);
    return this.#append({ d: rel });
  }

  #append(value: unknown): Promise<void> {
    const line = `${JSON.stringify(value)}\n`;
    this.#chain = this.#chain.then(async () => {
      await this.handle.write(line);
    });
    return this.#chain;
  }

  async close(): Promise<void> {
    await this.#chain.catch(() => {});
    await this.handle.close().catch(() => {});
  }

  async remove(): Promise<void> {
    await this.close();
    await rm(this.path, { force: true });
  }
}

/** A partial record with the digests of an earlier one before `first`; undefined if they do not join up. */
function mergePartial(before: PartialRecord | undefined, line: PartialRecord): PartialRecord | undefined {
  if (!Array.isArray(line.sha256) || !Number.isSafeInteger(line.first) || line.first < 0) return undefined;
  if (line.first === 0) return line;
  const sameFile =
    before?.chunkSize === line.chunkSize &&
    before.length === line.length &&
    before.modificationTime === line.modificationTime &&
    before.etag === line.etag;
  if (!before || !sameFile || before.sha256.length < line.first) return undefined;
  return { ...line, first: 0, sha256: [...before.sha256.slice(0, line.first), ...line.sha256] };
}

async function readState(file: string): Promise<
  | {
      header: StateHeader;
      files: Map<string, FileRecord>;
      partial: Map<string, PartialRecord>;
      dirs: Set<string>;
    }
  | undefined
> {
  let header: StateHeader | undefined;
  const files = new Map<string, FileRecord>();
  const partial = new Map<string, PartialRecord>();
  const dirs = new Set<string>();
  try {
    const lines = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
    for await (const line of lines) {
      let value: Record<string, unknown>;
      try {
        value = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue; // the partial last line of a killed run
      }
      if (!header) {
        if (value.kind !== "adlkit-copy" || value.v !== 1)
          throw invalidArgument("stateFile", `${file} is not the state file of a copy`);
        header = value as unknown as StateHeader;
      } else if (typeof value.f === "string" && value.st === "partial") {
        const merged = mergePartial(partial.get(value.f), value as unknown as PartialRecord);
        if (merged) partial.set(value.f, merged);
        else partial.delete(value.f); // a line that does not join up: that file starts over
      } else if (typeof value.f === "string") files.set(value.f, value as unknown as FileRecord);
      else if (typeof value.d === "string") dirs.add(value.d);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  return header ? { header, files, partial, dirs } : undefined;
}
