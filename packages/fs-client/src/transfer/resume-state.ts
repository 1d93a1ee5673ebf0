import { randomBytes } from "node:crypto";
import { readFile, rename, rm, writeFile } from "node:fs/promises";

/** What an interrupted upload leaves behind, next to the local source: enough to pick up where it stopped. */
export interface UploadState {
  version: 1;
  kind: "upload";
  /** The remote target. */
  target: string;
  /** The local source as it was when the upload started; a changed source starts over. */
  source: { size: number; mtimeMs: number };
  chunkSize: number;
  /** Remote directory holding the segment files. */
  segmentDir: string;
  /** Indexes of chunks whose segment was fully written and closed. */
  completed: number[];
}

/** What an interrupted download leaves behind, next to the local target. */
export interface DownloadState {
  version: 1;
  kind: "download";
  /** The remote source as it was when the download started; a changed source starts over. */
  source: { path: string; length: number; modificationTime: number; etag?: string | undefined };
  chunkSize: number;
  /** Local file the ranges are written into, renamed onto the target when complete. */
  partialPath: string;
  completed: number[];
}

export type TransferState = UploadState | DownloadState;

/** Parses a state file's text; undefined if it is not a state of this kind and version (then start over). */
export function parseState<K extends TransferState["kind"]>(
  text: string,
  kind: K,
): Extract<TransferState, { kind: K }> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!value || typeof value !== "object") return undefined;
  const state = value as Record<string, unknown>;
  if (state.version !== 1 || state.kind !== kind) return undefined;
  if (!Number.isSafeInteger(state.chunkSize) || (state.chunkSize as number) < 1) return undefined;
  if (!Array.isArray(state.completed) || !state.completed.every((i) => Number.isSafeInteger(i) && i >= 0))
    return undefined;
  const source = state.source as Record<string, unknown> | undefined;
  if (!source || typeof source !== "object") return undefined;
  if (kind === "upload") {
    if (typeof state.target !== "string" || typeof state.segmentDir !== "string") return undefined;
    if (!Number.isSafeInteger(source.size) || typeof source.mtimeMs !== "number") return undefined;
  } else {
    if (typeof state.partialPath !== "string" || typeof source.path !== "string") return undefined;
    if (!Number.isSafeInteger(source.length) || typeof source.modificationTime !== "number") return undefined;
  }
  return value as Extract<TransferState, { kind: K }>;
}

/** Whether a saved upload can continue: same target, same source (size and mtime) and same chunk size. */
export function canResumeUpload(
  state: UploadState,
  expected: Pick<UploadState, "target" | "source" | "chunkSize">,
): boolean {
  return (
    state.target === expected.target &&
    state.source.size === expected.source.size &&
    state.source.mtimeMs === expected.source.mtimeMs &&
    state.chunkSize === expected.chunkSize
  );
}

/** Whether a saved download can continue: same remote file (length and modification time) and chunk size. */
export function canResumeDownload(
  state: DownloadState,
  expected: Pick<DownloadState, "source" | "chunkSize">,
): boolean {
  return (
    state.source.path === expected.source.path &&
    state.source.length === expected.source.length &&
    state.source.modificationTime === expected.source.modificationTime &&
    state.source.etag === expected.source.etag &&
    state.chunkSize === expected.chunkSize
  );
}

export async function readState<K extends TransferState["kind"]>(
  file: string,
  kind: K,
): Promise<Extract<TransferState, { kind: K }> | undefined> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  return parseState(text, kind);
}

/**
 * Keeps a state file up to date as chunks complete. Writes are atomic (temp file + rename) and serialised,
 * and bursts of completions coalesce into one write, so a crash leaves either the old or the new state.
 */
export class StateFile<S extends TransferState> {
  readonly #file: string;
  readonly #state: S;
  #writing: Promise<void> = Promise.resolve();
  #dirty = false;

  constructor(file: string, state: S) {
    this.#file = file;
    this.#state = state;
  }

  get state(): Readonly<S> {
    return this.#state;
  }

  isComplete(index: number): boolean {
    return this.#state.completed.includes(index);
  }

  /** Records a finished chunk and persists it. Resolves once the state on disk includes it. */
  markComplete(index: number): Promise<void> {
    if (!this.#state.completed.includes(index)) this.#state.completed.push(index);
    return this.save();
  }

  save(): Promise<void> {
    this.#dirty = true;
    this.#writing = this.#writing.then(async () => {
      if (!this.#dirty) return;
      this.#dirty = false;
      const temp = `${this.#file}.${randomBytes(4).toString("hex")}.tmp`;
      const state = { ...this.#state, completed: [...this.#state.completed].sort((a, b) => a - b) };
      await writeFile(temp, `${JSON.stringify(state)}\n`, { mode: 0o600 });
      await rename(temp, this.#file);
    });
    return this.#writing;
  }

  /** Waits for pending writes, then deletes the file. */
  async remove(): Promise<void> {
    await this.#writing.catch(() => {});
    await rm(this.#file, { force: true });
  }
}
