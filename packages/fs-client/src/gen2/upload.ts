import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { BufferPool, DirectReadFile } from "@adlkit/bulk-io";
import { BadOffsetError, IntegrityError, PathExistsError } from "../errors.js";
import { invalidArgument } from "../options.js";
import { normalizePath } from "../paths.js";
import type { TransferContext } from "../transfer/context.js";
import { wantsDirectIo } from "../transfer/direct-io-policy.js";
import { readFully } from "../transfer/file-body.js";
import { type Chunk, planBlocks, planChunks } from "../transfer/plan-chunks.js";
import { canResumeUpload, readState, StateFile, type UploadState } from "../transfer/resume-state.js";
import { runAll } from "../transfer/run-all.js";
import type { FileTransferResult, FileTransferSettings } from "../transfer/settings.js";
import { uploadStatePath } from "../transfer/state-paths.js";
import type { Dfs } from "./dfs.js";
import { remove, rename } from "./namespace.js";
import { readInto } from "./read.js";
import { getStatus, tryGetStatus } from "./status.js";
import { append, createFile, flush } from "./write.js";

/**
 * Uploads one local file to Gen2. The bytes go to a staging file next to the target
 * (`{target}.adlkit-upload.{16 hex}`): chunks in parallel, each as appends of `blockSize` at their positions, every
 * append with its Content-MD5 (the service refuses damaged bytes); then one flush to the full length carrying the
 * whole file's MD5, a length check (and, with `checksum`, a SHA-256 read back), and an atomic rename onto the
 * target. So the target appears only complete and verified, and is never seen growing.
 *
 * Resuming: the state file (next to the source, as for Gen1) names the staging file and the chunks whose appends
 * were all accepted. Staged appends are invisible until the flush, so they cannot be checked one by one: the flush
 * checks them all (the service refuses one whose appends do not tile the file, `InvalidFlushPosition`), and such a
 * refusal starts the file over once.
 */
export async function uploadFile(
  dfs: Dfs,
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
  const existing = await tryGetStatus(dfs, target, { abortSignal: ctx.signal });
  if (existing?.type === "DIRECTORY") throw exists(dfs, target, "a directory is in the way");
  if (existing && !settings.overwrite) throw exists(dfs, target, "path already exists");
  try {
    return await attempt(dfs, ctx, localPath, target, settings, size, info.mtimeMs, settings.resume);
  } catch (err) {
    // Staged appends lost since the state was saved (the service discarded them): once more, from scratch.
    if (err instanceof BadOffsetError && err.operation === "flush" && settings.resume) {
      dfs.http.logger.info(`upload ${target}: the staged data of the earlier run is gone; starting over`);
      return {
        ...(await attempt(dfs, ctx, localPath, target, settings, size, info.mtimeMs, false)),
        startedOver: true,
      };
    }
    throw err;
  }
}

/** `{target}.adlkit-upload.{16 hex}`: the only staging files an upload continues or deletes. */
function ownStaging(state: UploadState): boolean {
  const dir = state.segmentDir;
  return /\.adlkit-upload\.[0-9a-f]{16}$/.test(dir) && dir.slice(0, -31) === state.target;
}

async function attempt(
  dfs: Dfs,
  ctx: TransferContext,
  localPath: string,
  target: string,
  settings: FileTransferSettings,
  size: number,
  mtimeMs: number,
  resume: boolean,
): Promise<FileTransferResult> {
  const chunks = planChunks(size, settings.chunkSize);
  const stateFilePath = uploadStatePath(localPath);
  const expected = { target, source: { size, mtimeMs }, chunkSize: settings.chunkSize };
  const saved = await readState(stateFilePath, "upload");
  let state: UploadState | undefined;
  let resumedBytes = 0;
  let startedOver = false;
  if (saved && resume && canResumeUpload(saved, expected) && ownStaging(saved)) {
    const staging = await tryGetStatus(dfs, saved.segmentDir, { abortSignal: ctx.signal });
    // Nothing flushed yet (length 0): its staged appends are still the ones the state lists.
    if (staging?.type === "FILE" && staging.length === 0) {
      state = saved;
      resumedBytes = saved.completed.reduce((sum, index) => sum + (chunks[index]?.length ?? 0), 0);
      dfs.http.logger.info(
        `upload ${target}: resuming, ${saved.completed.length}/${chunks.length} chunks staged`,
      );
    }
  }
  if (!state) {
    if (saved && ownStaging(saved)) {
      startedOver = true;
      await remove(dfs, saved.segmentDir, { abortSignal: ctx.signal }).catch(() => false);
    }
    state = {
      version: 1,
      kind: "upload",
      ...expected,
      segmentDir: `${target}.adlkit-upload.${randomBytes(8).toString("hex")}`,
      completed: [],
    };
    await createFile(dfs, state.segmentDir, { overwrite: true, abortSignal: ctx.signal });
  }
  const staging = state.segmentDir;
  const stateFile = new StateFile(stateFilePath, state);
  await stateFile.save();
  ctx.addBytes(resumedBytes);
  const digests = digestsOf(localPath, ctx, settings.checksum === "sha256");
  digests.catch(() => {});
  const direct = wantsDirectIo(settings.directIo ?? "auto", size);
  const file = await DirectReadFile.open(localPath, { direct });
  // One buffer of a block per chunk in flight: an append's MD5 must be known before its body is sent.
  const buffers = new BufferPool(Math.max(1, Math.min(settings.blockSize, size)), ctx.chunks.limit, direct);
  try {
    await runAll(
      chunks.filter((chunk) => chunk.length > 0 && !stateFile.isComplete(chunk.index)),
      (chunk) =>
        ctx.chunks.run(async () => {
          const buffer = buffers.take();
          try {
            await appendChunk(dfs, ctx, file, buffers, buffer, staging, chunk, settings.blockSize);
          } finally {
            buffers.give(buffer);
          }
          await stateFile.markComplete(chunk.index);
        }, ctx.signal),
    );
    const { md5, sha256 } = await digests;
    await flush(dfs, staging, size, { contentMd5: md5, close: true, abortSignal: ctx.signal });
    if (sha256) {
      const remote = await sha256Of(dfs, ctx, staging, size);
      if (remote !== sha256) {
        await remove(dfs, staging, { abortSignal: ctx.signal }).catch(() => false);
        await stateFile.remove();
        throw new IntegrityError(
          `upload ${target}: SHA-256 of the uploaded file (${remote}) differs from the source (${sha256})`,
          { path: target, expected: sha256, actual: remote },
        );
      }
    }
    await checkSize(dfs, ctx, staging, size);
    await rename(dfs, staging, target, { overwrite: settings.overwrite, abortSignal: ctx.signal });
    await checkSize(dfs, ctx, target, size);
    await stateFile.remove();
    ctx.fileDone();
    return {
      path: target,
      bytes: size,
      resumedBytes,
      ...(startedOver ? { startedOver } : {}),
      ...(sha256 ? { sha256 } : {}),
    };
  } catch (err) {
    if (ctx.abortedByCaller) {
      if (!settings.keepPartialOnAbort) {
        await remove(dfs, staging, {}).catch(() => false);
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

/** One chunk: its blocks read into `buffer` and appended at their positions, one at a time. */
async function appendChunk(
  dfs: Dfs,
  ctx: TransferContext,
  file: DirectReadFile,
  pool: BufferPool,
  buffer: Buffer,
  staging: string,
  chunk: Chunk,
  blockSize: number,
): Promise<void> {
  for (const block of planBlocks(chunk.length, Math.min(blockSize, buffer.byteLength))) {
    const position = chunk.offset + block.offset;
    const data = await readFully(
      (b, length, at) => file.read(b, length, at, pool.isAligned(b)),
      buffer,
      block.length,
      position,
    );
    ctx.touch();
    await append(dfs, staging, position, data, { abortSignal: ctx.signal });
    ctx.addBytes(block.length);
  }
}

/** MD5 (for the flush) and optionally SHA-256 of the local file, in one sequential read beside the uploads. */
async function digestsOf(
  path: string,
  ctx: TransferContext,
  withSha256: boolean,
): Promise<{ md5: string; sha256: string | undefined }> {
  const md5 = createHash("md5");
  const sha = withSha256 ? createHash("sha256") : undefined;
  for await (const piece of createReadStream(path, { signal: ctx.signal, highWaterMark: 1024 * 1024 })) {
    md5.update(piece as Buffer);
    sha?.update(piece as Buffer);
    ctx.touch();
  }
  return { md5: md5.digest("base64"), sha256: sha?.digest("hex") };
}

async function sha256Of(dfs: Dfs, ctx: TransferContext, path: string, size: number): Promise<string> {
  const hash = createHash("sha256");
  const received = await readInto(
    dfs,
    path,
    0,
    size,
    (piece) => {
      hash.update(piece);
      ctx.touch();
    },
    { abortSignal: ctx.signal },
  );
  if (received !== size)
    throw new IntegrityError(`${path} is shorter than expected`, {
      path,
      expected: String(size),
      actual: String(received),
    });
  return hash.digest("hex");
}

async function checkSize(dfs: Dfs, ctx: TransferContext, path: string, size: number): Promise<void> {
  const status = await getStatus(dfs, path, { abortSignal: ctx.signal });
  if (status.type !== "FILE" || status.length !== size)
    throw new IntegrityError(`upload ${path}: the server reports ${status.length} bytes, expected ${size}`, {
      path,
      expected: String(size),
      actual: String(status.length),
    });
}

function exists(dfs: Dfs, target: string, reason: string): PathExistsError {
  // Found by our own look before sending anything: there is no error status to report.
  return new PathExistsError({
    method: "PUT",
    url: dfs.url(target).toString(),
    operation: "create file",
    path: target,
    reason,
  });
}
