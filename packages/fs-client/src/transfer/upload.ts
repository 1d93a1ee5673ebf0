import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { BufferPool, DirectReadFile } from "@adlkit/bulk-io";
import { mayHaveLanded } from "@adlkit/core";
import { type FsError, IntegrityError, PathExistsError, PathNotFoundError } from "../errors.js";
import { list } from "../operations/list.js";
import { remove } from "../operations/namespace.js";
import { readInto, readRange } from "../operations/read.js";
import { tryGetFileStatus } from "../operations/status.js";
import { append, create, msConcat } from "../operations/write.js";
import { invalidArgument } from "../options.js";
import { baseName, normalizePath } from "../paths.js";
import type { WebHdfs } from "../webhdfs.js";
import type { TransferContext } from "./context.js";
import { type DirectIoSetting, wantsDirectIo } from "./direct-io-policy.js";
import { type FileBody, fileBody, type ReadAt, readerOf, readFully } from "./file-body.js";
import { type Chunk, planBlocks, planChunks, segmentDirectory, segmentPath } from "./plan-chunks.js";
import { canResumeUpload, readState, StateFile, type UploadState } from "./resume-state.js";

export interface FileTransferSettings {
  chunkSize: number;
  blockSize: number;
  /** Replace an existing target. @default false */
  overwrite: boolean;
  /** Continue from a state file left by an interrupted run. @default true */
  resume: boolean;
  /** Also compare SHA-256 digests (of the source, and of what the other side holds). */
  checksum: "sha256" | undefined;
  /** Keep segments / partial files and the state file when the caller aborts, to resume later. @default false */
  keepPartialOnAbort: boolean;
  /** Trees: leave files an earlier run already transferred (see TreeResult.skippedFiles). @default false */
  skipCompleted?: boolean | undefined;
  /**
   * Read (uploads) or write (downloads) whole aligned blocks of the local file around the page cache (O_DIRECT).
   * @default "auto" (Linux, files of 32 MiB and more)
   */
  directIo?: DirectIoSetting | undefined;
  /** Takes over the length check of single-request uploads (tree uploads batch them). */
  lengthCheck?: { defer(target: string, size: number): boolean } | undefined;
}

export interface FileTransferResult {
  /** Remote path (upload) or local path (download). */
  path: string;
  bytes: number;
  /** Bytes that an earlier, interrupted run had already transferred. */
  resumedBytes: number;
  sha256?: string | undefined;
}

/**
 * Bytes read from the file per piece of a CREATE or APPEND body. Two buffers of it per segment in flight (one being
 * sent, the next being read) instead of a whole 4 MiB block: measured on 1 GiB with 8 segments, ~8 MiB less peak
 * RSS, ~10% faster (reads overlap sends), 3-6% more CPU (four reads per block instead of one).
 */
const UPLOAD_PIECE = 1024 * 1024;

/** The state file of an upload: next to the local source. */
export function uploadStatePath(localPath: string): string {
  return `${localPath}.adlkit-upload.json`;
}

/**
 * Uploads one local file. Chunks become segment files written in parallel (CREATE + offset-checked
 * APPENDs, one reused buffer of `blockSize` per worker), which MSCONCAT joins into the target, so the target
 * appears only when complete; its length (and optionally SHA-256) is verified. A state file next to the
 * source records finished segments; a later run checks their lengths on the server and sends only the rest.
 */
export async function uploadFile(
  fs: WebHdfs,
  ctx: TransferContext,
  localPath: string,
  target: string,
  settings: FileTransferSettings,
): Promise<FileTransferResult> {
  target = normalizePath(target);
  const info = await stat(localPath);
  if (!info.isFile()) throw invalidArgument("localPath", `${localPath} is not a file`);
  const size = info.size;
  ctx.addFile(size);
  ctx.throwIfAborted();

  if (size <= settings.blockSize && (size === 0 || !settings.checksum))
    return uploadSmallFile(fs, ctx, localPath, target, size, settings);

  const existing = await tryGetFileStatus(fs, target, { abortSignal: ctx.signal });
  if (existing?.type === "DIRECTORY") throw existsError(fs, target, "a directory is in the way");
  if (existing && !settings.overwrite) throw existsError(fs, target, "path already exists");

  const chunks = planChunks(size, settings.chunkSize);
  const stateFilePath = uploadStatePath(localPath);
  const expected = { target, source: { size, mtimeMs: info.mtimeMs }, chunkSize: settings.chunkSize };
  const saved = settings.resume ? await readState(stateFilePath, "upload") : undefined;
  let state: UploadState;
  let resumedBytes = 0;
  if (saved && canResumeUpload(saved, expected)) {
    const verified = await verifiedSegments(fs, saved, chunks, target, ctx.signal);
    state = { ...saved, completed: verified };
    resumedBytes = verified.reduce((sum, index) => sum + (chunks[index]?.length ?? 0), 0);
    fs.http.logger.info(
      `upload ${target}: resuming, ${verified.length}/${chunks.length} segments already on the server`,
    );
  } else {
    if (saved) await remove(fs, saved.segmentDir, { recursive: true }).catch(() => false);
    state = {
      version: 1,
      kind: "upload",
      ...expected,
      segmentDir: segmentDirectory(target, randomBytes(8).toString("hex")),
      completed: [],
    };
  }
  const stateFile = new StateFile(stateFilePath, state);
  await stateFile.save();
  ctx.addBytes(resumedBytes);

  const direct = wantsDirectIo(settings.directIo ?? "auto", size);
  const file = await DirectReadFile.open(localPath, { direct });
  // Two piece buffers per segment in flight, reused by the next segment (not one per segment); page-aligned
  // for direct reads (a piece size that is not a multiple of a page gets plain buffers, read through the cache).
  const buffers = new BufferPool(
    Math.min(UPLOAD_PIECE, settings.blockSize, size),
    2 * ctx.chunks.limit,
    direct,
  );
  const read: ReadAt = (buffer, length, position) =>
    file.read(buffer, length, position, buffers.isAligned(buffer));
  const localDigest = settings.checksum ? sha256OfFile(localPath, ctx) : undefined;
  localDigest?.catch(() => {});
  const name = baseName(target);
  try {
    await runAll(
      chunks.filter((chunk) => !stateFile.isComplete(chunk.index)),
      (chunk) =>
        ctx.chunks.run(async () => {
          const pair = [buffers.take(), buffers.take()] as const;
          try {
            const path = segmentPath(state.segmentDir, name, chunk);
            await uploadSegment(fs, ctx, read, path, chunk, settings.blockSize, pair);
          } finally {
            buffers.give(pair[0]);
            buffers.give(pair[1]);
          }
          await stateFile.markComplete(chunk.index);
        }, ctx.signal),
    );
    let sha256: string | undefined;
    if (localDigest) {
      const [local, remote] = await Promise.all([
        localDigest,
        sha256OfSegments(fs, ctx, state.segmentDir, name, chunks),
      ]);
      if (local !== remote) {
        await remove(fs, state.segmentDir, { recursive: true }).catch(() => false);
        await stateFile.remove();
        throw new IntegrityError(
          `upload ${target}: SHA-256 of the uploaded segments (${remote}) differs from the source (${local})`,
          {
            path: target,
            expected: local,
            actual: remote,
          },
        );
      }
      sha256 = local;
    }
    await concatSegments(
      fs,
      ctx,
      target,
      state.segmentDir,
      chunks.map((chunk) => segmentPath(state.segmentDir, name, chunk)),
      size,
      settings.overwrite,
    );
    await verifyLength(fs, target, size, ctx.signal);
    await stateFile.remove();
    ctx.fileDone();
    return { path: target, bytes: size, resumedBytes, ...(sha256 ? { sha256 } : {}) };
  } catch (err) {
    if (ctx.abortedByCaller) {
      if (!settings.keepPartialOnAbort) {
        await remove(fs, state.segmentDir, { recursive: true }).catch(() => false);
        await stateFile.remove();
      }
      throw ctx.abortError();
    }
    if (ctx.signal.aborted) throw ctx.abortError();
    throw err;
  } finally {
    await file.close();
  }
}

/**
 * One CREATE carrying the whole file with `syncFlag=CLOSE`: the service applies it atomically, so the target is
 * never seen incomplete, and there is nothing to resume. Without `overwrite` a CREATE that may have landed (its
 * answer lost) cannot simply be repeated: the repeat would meet our own file as "already exists". So before a
 * retry the hook looks: our exact bytes there means it landed (done); nothing there means try again; anything
 * else is someone else's file and the failure stands.
 */
async function createSmallFile(
  fs: WebHdfs,
  ctx: TransferContext,
  target: string,
  data: Buffer,
  overwrite: boolean,
): Promise<void> {
  let landed = false;
  let repeated = false;
  try {
    await create(fs, target, {
      overwrite,
      data,
      syncFlag: "CLOSE",
      abortSignal: ctx.signal,
      shouldRetry: async (failure) => {
        if (overwrite || !mayHaveLanded(failure)) return true;
        const found = await holding(fs, target, data, ctx.signal);
        landed = found === "ours";
        repeated = found === "nothing";
        return repeated;
      },
    });
  } catch (err) {
    if (landed) return;
    if (ctx.signal.aborted) throw ctx.abortError();
    // The look said "nothing there", yet the repeat met a file: the lost attempt landed after all, just late.
    if (
      repeated &&
      err instanceof PathExistsError &&
      (await holding(fs, target, data, ctx.signal)) === "ours"
    )
      return;
    throw err;
  }
}

/** What `target` holds: exactly `data`, nothing at all, or something else. */
async function holding(
  fs: WebHdfs,
  target: string,
  data: Buffer,
  signal: AbortSignal,
): Promise<"ours" | "nothing" | "other"> {
  const status = await tryGetFileStatus(fs, target, { abortSignal: signal });
  if (!status) return "nothing";
  if (status.type !== "FILE" || status.length !== data.length) return "other";
  if (data.length === 0) return "ours";
  const held = await readRange(fs, target, 0, data.length, { abortSignal: signal });
  return held.equals(data) ? "ours" : "other";
}

async function uploadSmallFile(
  fs: WebHdfs,
  ctx: TransferContext,
  localPath: string,
  target: string,
  size: number,
  settings: FileTransferSettings,
): Promise<FileTransferResult> {
  const data = size === 0 ? Buffer.alloc(0) : await readExactly(localPath, size);
  if (settings.resume) {
    // A larger version of this file may have left an interrupted upload behind: discard it.
    const saved = await readState(uploadStatePath(localPath), "upload");
    if (saved) {
      await remove(fs, saved.segmentDir, { recursive: true, abortSignal: ctx.signal }).catch(() => false);
      await new StateFile(uploadStatePath(localPath), saved).remove();
    }
  }
  await createSmallFile(fs, ctx, target, data, Boolean(settings.overwrite));
  ctx.addBytes(size);
  // In a tree, lengths are checked in batches (one listing per directory) once all files are up.
  if (!settings.lengthCheck?.defer(target, size)) await verifyLength(fs, target, size, ctx.signal);
  ctx.fileDone();
  return {
    path: target,
    bytes: size,
    resumedBytes: 0,
    ...(settings.checksum ? { sha256: createHash("sha256").update(data).digest("hex") } : {}),
  };
}

/** The whole of a small local file; fails if it changed length since it was stat-ed. */
async function readExactly(localPath: string, size: number): Promise<Buffer> {
  const handle = await open(localPath, "r");
  try {
    return await readFully(readerOf(handle), Buffer.allocUnsafe(size), size, 0);
  } finally {
    await handle.close();
  }
}

/** Runs every task, waits for all of them, and rethrows the first failure (after the others settle). */
export async function runAll<T>(items: readonly T[], task: (item: T) => Promise<void>): Promise<void> {
  const results = await Promise.allSettled(items.map(task));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
}

async function uploadSegment(
  fs: WebHdfs,
  ctx: TransferContext,
  read: ReadAt,
  path: string,
  chunk: Chunk,
  blockSize: number,
  buffers: readonly [Buffer, Buffer],
): Promise<void> {
  const blocks = planBlocks(chunk.length, blockSize);
  let latest: FileBody | undefined;
  const body = (block: { offset: number; length: number }) => {
    latest = fileBody(read, chunk.offset + block.offset, block.length, buffers);
    return latest;
  };
  const [first, ...rest] = blocks;
  if (!first) throw new Error("empty segment");
  try {
    // The first block rides on CREATE (overwrite: a retry or a resumed run simply replaces the segment).
    const { leaseId } = await create(fs, path, {
      overwrite: true,
      data: body(first),
      syncFlag: rest.length === 0 ? "CLOSE" : "DATA",
      abortSignal: ctx.signal,
    });
    ctx.addBytes(first.length);
    for (const [i, block] of rest.entries()) {
      // One block's request at a time per segment: a block's buffers are free again once its answer is here.
      await append(fs, path, body(block), {
        offset: block.offset,
        syncFlag: i === rest.length - 1 ? "CLOSE" : "DATA",
        leaseId,
        abortSignal: ctx.signal,
      });
      ctx.addBytes(block.length);
    }
  } finally {
    // A failed request may leave its next piece's read running into these buffers, which go back to the pool
    // (and to another segment) when this returns.
    await latest?.settled();
  }
}

/** The completed segments of a saved upload that really are on the server with their full length. */
async function verifiedSegments(
  fs: WebHdfs,
  saved: UploadState,
  chunks: Chunk[],
  target: string,
  signal: AbortSignal,
): Promise<number[]> {
  const lengths = new Map<string, number>();
  try {
    for await (const entry of list(fs, saved.segmentDir, 4000, { abortSignal: signal }))
      lengths.set(entry.path, entry.length);
  } catch (err) {
    if (err instanceof PathNotFoundError) return [];
    throw err;
  }
  const name = baseName(target);
  return saved.completed.filter((index) => {
    const chunk = chunks[index];
    return chunk !== undefined && lengths.get(segmentPath(saved.segmentDir, name, chunk)) === chunk.length;
  });
}

/**
 * MSCONCAT is not idempotent, so after a failure that may have landed the server's state decides: segments all
 * there and no target yet means nothing happened, safe to send again; otherwise, the target complete and the
 * segments gone means it landed.
 */
async function concatSegments(
  fs: WebHdfs,
  ctx: TransferContext,
  target: string,
  segmentDir: string,
  sources: string[],
  size: number,
  overwrite: boolean,
): Promise<void> {
  ctx.throwIfAborted();
  const existing = await tryGetFileStatus(fs, target, { abortSignal: ctx.signal });
  if (existing) {
    if (!overwrite || existing.type === "DIRECTORY")
      throw existsError(fs, target, "path appeared during the upload");
    await remove(fs, target, { abortSignal: ctx.signal });
  }
  ctx.touch();
  const state = () =>
    Promise.all([
      tryGetFileStatus(fs, target, { abortSignal: ctx.signal }),
      tryGetFileStatus(fs, segmentDir, { abortSignal: ctx.signal }),
    ]);
  let uncertain = false;
  try {
    await msConcat(fs, target, sources, {
      deleteSourceDirectory: true,
      abortSignal: ctx.signal,
      shouldRetry: async (failure) => {
        if (!mayHaveLanded(failure)) return true;
        uncertain = true;
        const [after, segments] = await state();
        return segments !== undefined && after === undefined;
      },
    });
  } catch (err) {
    if (ctx.signal.aborted) throw ctx.abortError();
    if (!uncertain) throw err;
    const [after, segments] = await state();
    if (after?.length !== size || segments) throw err;
    fs.http.logger.info(`MSCONCAT ${target}: an attempt whose answer was lost had landed`);
  }
  ctx.touch();
}

export async function verifyLength(
  fs: WebHdfs,
  target: string,
  size: number,
  signal: AbortSignal,
): Promise<void> {
  const status = await tryGetFileStatus(fs, target, { abortSignal: signal });
  if (status?.length !== size) {
    throw new IntegrityError(
      `upload ${target}: the server reports ${status?.length ?? "no file"} bytes, expected ${size}`,
      {
        path: target,
        expected: String(size),
        actual: String(status?.length ?? "missing"),
      },
    );
  }
}

function existsError(fs: WebHdfs, target: string, reason: string): FsError {
  // Found by our own look before sending anything: there is no error status to report.
  return new PathExistsError({
    method: "PUT",
    url: fs.url("CREATE", target).toString(),
    operation: "CREATE",
    path: target,
    reason,
  });
}

async function sha256OfFile(path: string, ctx: TransferContext): Promise<string> {
  const hash = createHash("sha256");
  for await (const piece of createReadStream(path, { signal: ctx.signal, highWaterMark: 1024 * 1024 })) {
    hash.update(piece as Buffer);
    ctx.touch();
  }
  return hash.digest("hex");
}

/** SHA-256 of the segments as stored, read back in order (so the target is only published when it matches). */
async function sha256OfSegments(
  fs: WebHdfs,
  ctx: TransferContext,
  segmentDir: string,
  name: string,
  chunks: Chunk[],
): Promise<string> {
  const hash = createHash("sha256");
  for (const chunk of chunks) {
    const path = segmentPath(segmentDir, name, chunk);
    const received = await readInto(
      fs,
      path,
      0,
      chunk.length,
      (piece) => {
        hash.update(piece);
        ctx.touch();
      },
      { abortSignal: ctx.signal },
    );
    if (received !== chunk.length)
      throw new IntegrityError(`segment ${path} is shorter than expected`, {
        path,
        expected: String(chunk.length),
        actual: String(received),
      });
  }
  return hash.digest("hex");
}
