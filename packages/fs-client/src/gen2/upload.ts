import { createHash, randomBytes } from "node:crypto";
import { BadOffsetError, IntegrityError, PathExistsError } from "../errors.js";
import { normalizePath } from "../paths.js";
import type { TransferContext } from "../transfer/context.js";
import {
  type FileBody,
  fileBody,
  openUploadSource,
  type ReadAt,
  readFully,
  statUploadSource,
} from "../transfer/file-body.js";
import { type Chunk, planBlocks, planChunks } from "../transfer/plan-chunks.js";
import { canResumeUpload, readState, StateFile, type UploadState } from "../transfer/resume-state.js";
import { runAll } from "../transfer/run-all.js";
import type { FileTransferResult, FileTransferSettings } from "../transfer/settings.js";
import { uploadStatePath } from "../transfer/state-paths.js";
import { failedUpload, uploaded } from "../transfer/upload-outcome.js";
import type { Dfs } from "./dfs.js";
import { fileDigests } from "./file-digests.js";
import { remove, rename } from "./namespace.js";
import type { UploadMd5 } from "./options.js";
import { readInto } from "./read.js";
import { getStatus, tryGetStatus } from "./status.js";
import { append, createFile, flush } from "./write.js";

/**
 * Uploads one local file to Gen2. The bytes go to a staging file next to the target
 * (`{target}.adlkit-upload.{16 hex}`): chunks in parallel, each as appends of `blockSize` at their positions, every
 * append body read from the file while it is sent (two piece buffers per chunk in flight); then one flush to the
 * full length, a length check (and, with `checksum`, a SHA-256 read back), and an atomic rename onto the target. So
 * the target appears only complete and verified, and is never seen growing.
 *
 * What is verified where (`md5`, a client option): TLS authenticates every byte between us and the service; the
 * service refuses a flush whose appends do not tile the file exactly; we check the length after the flush and after
 * the rename. With "file" (the default) the flush also carries the whole file's MD5, from one sequential read of
 * the source beside the appends: the service stores it as the file's Content-MD5 without checking it, so any reader
 * can check the stored bytes against it later. With "file+appends" each append carries its own Content-MD5 as well
 * (the block hashed from the file just before it is read again to be sent), so the service itself refuses a body
 * that arrives damaged or a source that changed in between. With `checksum: "sha256"` the file is read back.
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
  md5: UploadMd5 = "file",
): Promise<FileTransferResult> {
  target = normalizePath(target);
  const { size, mtimeMs } = await statUploadSource(localPath, ctx);
  const existing = await tryGetStatus(dfs, target, { abortSignal: ctx.signal });
  if (existing?.type === "DIRECTORY") throw exists(dfs, target, "a directory is in the way");
  if (existing && !settings.overwrite) throw exists(dfs, target, "path already exists");
  try {
    return await attempt(dfs, ctx, { localPath, target, settings, size, mtimeMs, md5 }, settings.resume);
  } catch (err) {
    // Staged appends lost since the state was saved (the service discarded them): once more, from scratch.
    if (err instanceof BadOffsetError && err.operation === "flush" && settings.resume) {
      dfs.http.logger.info(`upload ${target}: the staged data of the earlier run is gone; starting over`);
      return {
        ...(await attempt(dfs, ctx, { localPath, target, settings, size, mtimeMs, md5 }, false)),
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

/** One file's upload: what `attempt` needs besides the client and the transfer. */
interface UploadJob {
  localPath: string;
  target: string;
  settings: FileTransferSettings;
  size: number;
  mtimeMs: number;
  md5: UploadMd5;
}

async function attempt(
  dfs: Dfs,
  ctx: TransferContext,
  job: UploadJob,
  resume: boolean,
): Promise<FileTransferResult> {
  const { localPath, target, settings, size, mtimeMs } = job;
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
  // Two more buffers than the chunks need: the whole-file digests' reads.
  const { file, buffers, read } = await openUploadSource(localPath, size, settings, ctx.chunks.limit, 2);
  let failed = false; // a failed upload stops the digests' read at once instead of reading the file to its end
  const digests = fileDigests(ctx, read, size, [buffers.take(), buffers.take()], {
    md5: job.md5 !== "none",
    sha256: settings.checksum === "sha256",
    stopped: () => failed,
  });
  digests.catch(() => {});
  try {
    await runAll(
      chunks.filter((chunk) => chunk.length > 0 && !stateFile.isComplete(chunk.index)),
      (chunk) =>
        ctx.chunks.run(async () => {
          const pair = [buffers.take(), buffers.take()] as const;
          try {
            await appendChunk(
              dfs,
              ctx,
              read,
              pair,
              staging,
              chunk,
              settings.blockSize,
              job.md5 === "file+appends",
            );
          } finally {
            buffers.give(pair[0]);
            buffers.give(pair[1]);
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
    return uploaded(target, size, resumedBytes, startedOver, sha256);
  } catch (err) {
    failed = true;
    return await failedUpload(err, ctx, settings, async () => {
      await remove(dfs, staging, {}).catch(() => false);
      await stateFile.remove();
    });
  } finally {
    await digests.catch(() => {}); // its reads use the file and two of the buffers
    await file.close();
  }
}

/**
 * One chunk: its blocks appended at their positions, one at a time, each body read from the file while it is sent
 * (`fileBody`). With `appendMd5`, each block is first read and hashed through the same two buffers, so the append
 * names its Content-MD5 before its body goes out.
 */
async function appendChunk(
  dfs: Dfs,
  ctx: TransferContext,
  read: ReadAt,
  buffers: readonly [Buffer, Buffer],
  staging: string,
  chunk: Chunk,
  blockSize: number,
  appendMd5: boolean,
): Promise<void> {
  let latest: FileBody | undefined;
  try {
    for (const block of planBlocks(chunk.length, blockSize)) {
      const position = chunk.offset + block.offset;
      await latest?.settled(); // the buffers are free once the previous body's reads are done
      const contentMd5 = appendMd5
        ? await md5OfRange(ctx, read, buffers[0], position, block.length)
        : undefined;
      latest = fileBody(read, position, block.length, buffers);
      ctx.touch();
      await append(dfs, staging, position, latest, { contentMd5, abortSignal: ctx.signal });
      ctx.addBytes(block.length);
    }
  } finally {
    // A failed append may leave its next piece's read running into these buffers, which go back to the pool (and
    // to another chunk) when this returns.
    await latest?.settled();
  }
}

/** The base64 MD5 of `length` bytes at `position` of the file, read piece by piece into `buffer`. */
async function md5OfRange(
  ctx: TransferContext,
  read: ReadAt,
  buffer: Buffer,
  position: number,
  length: number,
): Promise<string> {
  const hash = createHash("md5");
  for (let at = 0; at < length; ) {
    const piece = await readFully(read, buffer, Math.min(buffer.byteLength, length - at), position + at);
    hash.update(piece);
    at += piece.byteLength;
    ctx.touch();
  }
  return hash.digest("base64");
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
