import { mkdir, opendir, stat } from "node:fs/promises";
import path from "node:path";
import type { FsBackend } from "../backend.js";
import { IntegrityError } from "../errors.js";
import { baseName, joinPath, parentPath } from "../paths.js";
import type { FileStatus } from "../types.js";
import { verifyLength } from "./checks.js";
import type { TransferContext } from "./context.js";
import { type DownloadSettings, downloadFile } from "./download.js";
import type { FileTransferResult, FileTransferSettings } from "./settings.js";
import { downloadStatePath, uploadStatePath } from "./state-paths.js";

export interface TreeResult {
  files: number;
  directories: number;
  bytes: number;
  resumedBytes: number;
  /**
   * Files an earlier, interrupted run had already transferred, left alone (with `skipCompleted`, into a target
   * tree that existed before: same length there, and not older than the source). Counted in `files` too.
   */
  skippedFiles: number;
  /** Uploads only: files whose earlier, interrupted upload was discarded (see FileTransferResult.startedOver). */
  startedOverFiles?: number | undefined;
}

/**
 * Whether an earlier run already put this file in place: same length, the copy not older than the source, and
 * no state file saying the transfer was cut short. A changed source (newer, or another size) is sent again,
 * which without `overwrite` stops with "already exists", as it should.
 */
function alreadyTransferred(
  source: { size: number; mtimeMs: number },
  copy: { size: number; mtimeMs: number } | undefined,
): boolean {
  return copy !== undefined && copy.size === source.size && copy.mtimeMs >= Math.floor(source.mtimeMs);
}

async function localFile(p: string): Promise<{ size: number; mtimeMs: number } | undefined> {
  try {
    const info = await stat(p);
    return info.isFile() ? { size: info.size, mtimeMs: info.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}

function skip(result: TreeResult, ctx: TransferContext, size: number): void {
  ctx.addFile(size);
  ctx.addBytes(size);
  ctx.fileDone();
  result.files++;
  result.skippedFiles++;
  result.bytes += size;
  result.resumedBytes += size;
}

/** Local files and directories below `root`, depth-first, one directory handle open per level. */
async function* walkLocal(
  root: string,
  rel = "",
): AsyncGenerator<{ rel: string; kind: "file" | "emptyDir" }> {
  const dir = await opendir(path.join(root, rel));
  let empty = true;
  for await (const entry of dir) {
    empty = false;
    const child = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) yield* walkLocal(root, child);
    else if (entry.isFile() && !/\.adlkit-(upload\.json|partial|download\.json)$/.test(entry.name))
      yield { rel: child, kind: "file" };
  }
  if (empty && rel) yield { rel, kind: "emptyDir" };
}

/**
 * Runs file transfers with at most `inFlight` files open at once, stopping new ones after the first failure;
 * memory stays bounded however many files the tree has.
 */
async function forEachBounded<T>(
  items: AsyncIterable<T>,
  inFlight: number,
  ctx: TransferContext,
  task: (item: T) => Promise<void>,
): Promise<void> {
  const running = new Set<Promise<void>>();
  let failure: unknown;
  for await (const item of items) {
    if (failure !== undefined || ctx.signal.aborted) break;
    const promise: Promise<void> = task(item).then(
      () => {
        running.delete(promise);
      },
      (err) => {
        running.delete(promise);
        failure ??= err;
      },
    );
    running.add(promise);
    if (running.size >= inFlight) await Promise.race(running);
  }
  await Promise.allSettled(running);
  if (failure !== undefined) throw failure;
  ctx.throwIfAborted();
}

/**
 * The length check of files that went up as one CREATE, done per directory once the tree is up: one
 * LISTSTATUS page per 4,000 files instead of one GETFILESTATUS each. At most `MAX_DEFERRED` files wait (the
 * rest are checked one by one); directories with few of them are checked file by file.
 */
class BatchLengthCheck {
  static readonly MAX_DEFERRED = 50_000;
  static readonly LIST_FROM = 32;
  readonly #byDir = new Map<string, Map<string, number>>();
  #deferred = 0;

  defer(target: string, size: number): boolean {
    if (this.#deferred >= BatchLengthCheck.MAX_DEFERRED) return false;
    const dir = parentPath(target);
    let files = this.#byDir.get(dir);
    if (!files) {
      files = new Map();
      this.#byDir.set(dir, files);
    }
    files.set(baseName(target), size);
    this.#deferred++;
    return true;
  }

  async run(fs: FsBackend, ctx: TransferContext): Promise<void> {
    for (const [dir, files] of this.#byDir) {
      if (files.size < BatchLengthCheck.LIST_FROM) {
        await Promise.all(
          [...files].map(([name, size]) =>
            ctx.chunks.run(() => verifyLength(fs, joinPath(dir, name), size, ctx.signal), ctx.signal),
          ),
        );
        continue;
      }
      for await (const entry of fs.list(dir, { abortSignal: ctx.signal })) {
        const expected = files.get(entry.pathSuffix);
        if (expected === undefined) continue;
        if (entry.type !== "FILE" || entry.length !== expected) {
          throw new IntegrityError(
            `upload ${entry.path}: the server reports ${entry.length} bytes, expected ${expected}`,
            { path: entry.path, expected: String(expected), actual: String(entry.length) },
          );
        }
        files.delete(entry.pathSuffix);
        if (files.size === 0) break;
      }
      const [missing, size] = files.entries().next().value ?? [];
      if (missing !== undefined) {
        const target = joinPath(dir, missing);
        throw new IntegrityError(`upload ${target}: the server reports no file, expected ${size} bytes`, {
          path: target,
          expected: String(size),
          actual: "missing",
        });
      }
    }
  }
}

export async function uploadTree(
  fs: FsBackend,
  ctx: TransferContext,
  localRoot: string,
  remoteRoot: string,
  treeSettings: FileTransferSettings,
  inFlight: number,
): Promise<TreeResult> {
  const result: TreeResult = { files: 0, directories: 0, bytes: 0, resumedBytes: 0, skippedFiles: 0 };
  // A target tree that is already there may hold files of an interrupted earlier run, or others' files (both
  // checked one by one, so a first upload into a new directory pays nothing for this).
  const before = await fs.tryGetStatus(remoteRoot, { abortSignal: ctx.signal });
  const lengthCheck = new BatchLengthCheck();
  const settings: FileTransferSettings = { ...treeSettings, lengthCheck, targetMayExist: before !== undefined };
  const rerun = settings.skipCompleted && before?.type === "DIRECTORY";
  await fs.mkdirs(remoteRoot, { abortSignal: ctx.signal });
  await forEachBounded(walkLocal(localRoot), inFlight, ctx, async (entry) => {
    const remote = joinPath(remoteRoot, entry.rel);
    if (entry.kind === "emptyDir") {
      await fs.mkdirs(remote, { abortSignal: ctx.signal });
      result.directories++;
      return;
    }
    const local = path.join(localRoot, entry.rel);
    if (rerun) {
      const source = await localFile(local);
      const there = await fs.tryGetStatus(remote, { abortSignal: ctx.signal });
      const copy =
        there?.type === "FILE" ? { size: there.length, mtimeMs: there.modificationTime } : undefined;
      if (source && !(await localFile(uploadStatePath(local))) && alreadyTransferred(source, copy)) {
        skip(result, ctx, source.size);
        return;
      }
    }
    add(result, await fs.uploadFile(ctx, local, remote, settings));
  });
  await lengthCheck.run(fs, ctx);
  return result;
}

/** Remote entries below `root`, depth-first, holding one LISTSTATUS page per level. */
export async function* walkRemote(
  list: (dir: string) => AsyncIterable<FileStatus>,
  root: string,
  maxDepth = Number.POSITIVE_INFINITY,
  depth = 1,
): AsyncGenerator<FileStatus> {
  for await (const entry of list(root)) {
    yield entry;
    if (entry.type === "DIRECTORY" && depth < maxDepth)
      yield* walkRemote(list, entry.path, maxDepth, depth + 1);
  }
}

export async function downloadTree(
  fs: FsBackend,
  ctx: TransferContext,
  list: (dir: string) => AsyncIterable<FileStatus>,
  remoteRoot: string,
  localRoot: string,
  settings: DownloadSettings,
  inFlight: number,
): Promise<TreeResult> {
  const result: TreeResult = { files: 0, directories: 0, bytes: 0, resumedBytes: 0, skippedFiles: 0 };
  const rerun =
    settings.skipCompleted && (await stat(localRoot).catch(() => undefined))?.isDirectory() === true;
  await mkdir(localRoot, { recursive: true });
  const prefix = remoteRoot === "/" ? "/" : `${remoteRoot}/`;
  await forEachBounded(walkRemote(list, remoteRoot), inFlight, ctx, async (entry) => {
    const rel = entry.path.slice(prefix.length);
    const local = path.join(localRoot, ...rel.split("/"));
    if (entry.type === "DIRECTORY") {
      await mkdir(local, { recursive: true });
      result.directories++;
      return;
    }
    if (rerun && !(await localFile(downloadStatePath(local)))) {
      const source = { size: entry.length, mtimeMs: entry.modificationTime };
      if (alreadyTransferred(source, await localFile(local))) {
        skip(result, ctx, entry.length);
        return;
      }
    }
    add(result, await downloadFile(fs, ctx, entry, local, settings));
  });
  return result;
}

function add(result: TreeResult, file: FileTransferResult): void {
  result.files++;
  result.bytes += file.bytes;
  result.resumedBytes += file.resumedBytes;
  if (file.startedOver) result.startedOverFiles = (result.startedOverFiles ?? 0) + 1;
}

export async function isLocalDirectory(p: string): Promise<boolean> {
  return (await stat(p)).isDirectory();
}
