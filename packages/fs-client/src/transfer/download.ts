import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { type FileHandle, mkdir, open, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { AdlkitError, backoffInMs } from "@adlkit/core";
import { IntegrityError } from "../errors.js";
import { openRange } from "../operations/read.js";
import { getFileStatus } from "../operations/status.js";
import { normalizePath } from "../paths.js";
import type { FileStatus } from "../types.js";
import type { WebHdfs } from "../webhdfs.js";
import type { TransferContext } from "./context.js";
import { type Chunk, planChunks } from "./plan-chunks.js";
import { canResumeDownload, type DownloadState, readState, StateFile } from "./resume-state.js";
import { type FileTransferResult, type FileTransferSettings, runAll } from "./upload.js";

export interface DownloadSettings extends FileTransferSettings {
  /** Fail (and publish nothing) unless the downloaded bytes have this SHA-256 (hex). */
  expectedSha256?: string | undefined;
}

export function downloadStatePath(localPath: string): string {
  return `${localPath}.adlkit-download.json`;
}

export function partialPath(localPath: string): string {
  return `${localPath}.adlkit-partial`;
}

/**
 * Downloads one remote file: ranges of `chunkSize` read in parallel, each streamed into a temp file with
 * positional writes (memory stays at a few socket buffers per worker), renamed onto the target only when
 * complete and verified by length (and optionally SHA-256). A state file next to the target records finished
 * ranges, so a later run fetches only the rest, provided the remote file has not changed.
 */
export async function downloadFile(
  fs: WebHdfs,
  ctx: TransferContext,
  source: string | FileStatus,
  localPath: string,
  settings: DownloadSettings,
): Promise<FileTransferResult> {
  const status =
    typeof source === "string" ? await getFileStatus(fs, source, { abortSignal: ctx.signal }) : source;
  const remotePath = normalizePath(status.path);
  if (status.type !== "FILE")
    throw new TypeError(`${remotePath} is a directory; use get() on directories to copy the tree`);
  const size = status.length;
  ctx.addFile(size);
  ctx.throwIfAborted();
  if (!settings.overwrite && (await exists(localPath))) {
    throw new AdlkitError(`get ${remotePath} failed: ${localPath} already exists`, {
      code: "PATH_EXISTS",
      hint: "Pass overwrite: true to replace it.",
    });
  }
  await mkdir(path.dirname(localPath), { recursive: true });

  const chunks = planChunks(size, settings.chunkSize);
  const temp = partialPath(localPath);
  const stateFilePath = downloadStatePath(localPath);
  const expected = {
    source: { path: remotePath, length: size, modificationTime: status.modificationTime },
    chunkSize: settings.chunkSize,
  };
  const saved = settings.resume ? await readState(stateFilePath, "download") : undefined;
  let state: DownloadState;
  let resumedBytes = 0;
  let handle: FileHandle;
  if (
    saved &&
    canResumeDownload(saved, expected) &&
    saved.partialPath === temp &&
    (await sizeOf(temp)) === size
  ) {
    state = saved;
    resumedBytes = saved.completed.reduce((sum, index) => sum + (chunks[index]?.length ?? 0), 0);
    handle = await open(temp, "r+");
    fs.http.logger.info(
      `get ${remotePath}: resuming, ${saved.completed.length}/${chunks.length} ranges already local`,
    );
  } else {
    state = { version: 1, kind: "download", ...expected, partialPath: temp, completed: [] };
    handle = await open(temp, "w");
    await handle.truncate(size);
  }
  const stateFile = new StateFile(stateFilePath, state);
  await stateFile.save();
  ctx.addBytes(resumedBytes);

  try {
    await runAll(
      chunks.filter((chunk) => chunk.length > 0 && !stateFile.isComplete(chunk.index)),
      (chunk) =>
        ctx.chunks.run(async () => {
          await downloadRange(fs, ctx, remotePath, handle, chunk);
          await stateFile.markComplete(chunk.index);
        }, ctx.signal),
    );
    await handle.sync();
    await handle.close();
    const actual = await sizeOf(temp);
    if (actual !== size)
      throw new IntegrityError(`get ${remotePath}: wrote ${actual} bytes, expected ${size}`, {
        path: localPath,
        expected: String(size),
        actual: String(actual),
      });
    const after = await getFileStatus(fs, remotePath, { abortSignal: ctx.signal });
    if (after.length !== size || after.modificationTime !== status.modificationTime) {
      await rm(temp, { force: true });
      await stateFile.remove();
      throw new IntegrityError(`get ${remotePath}: the remote file changed during the download`, {
        path: remotePath,
        expected: `${size}@${status.modificationTime}`,
        actual: `${after.length}@${after.modificationTime}`,
      });
    }
    let sha256: string | undefined;
    if (settings.checksum || settings.expectedSha256) {
      sha256 = await sha256Of(temp, ctx);
      if (settings.expectedSha256 && sha256 !== settings.expectedSha256.toLowerCase()) {
        await rm(temp, { force: true });
        await stateFile.remove();
        throw new IntegrityError(
          `get ${remotePath}: SHA-256 ${sha256} differs from the expected ${settings.expectedSha256}`,
          {
            path: localPath,
            expected: settings.expectedSha256,
            actual: sha256,
          },
        );
      }
    }
    await rename(temp, localPath);
    await stateFile.remove();
    ctx.fileDone();
    return { path: localPath, bytes: size, resumedBytes, ...(sha256 ? { sha256 } : {}) };
  } catch (err) {
    await handle.close().catch(() => {});
    if (ctx.abortedByCaller) {
      if (!settings.keepPartialOnAbort) {
        await stateFile.remove();
        await rm(temp, { force: true });
      }
      throw ctx.abortError();
    }
    if (ctx.signal.aborted) throw ctx.abortError();
    throw err;
  }
}

/** One range: OPEN streamed into positional writes; a broken body resumes where it stopped. */
async function downloadRange(
  fs: WebHdfs,
  ctx: TransferContext,
  remotePath: string,
  handle: FileHandle,
  chunk: Chunk,
): Promise<void> {
  const end = chunk.offset + chunk.length;
  let position = chunk.offset;
  let failures = 0;
  while (position < end) {
    const before = position;
    try {
      const body = await openRange(
        fs,
        remotePath,
        { offset: position, length: end - position },
        { abortSignal: ctx.signal },
      );
      for await (const piece of body) {
        const buffer = piece as Buffer;
        const take = Math.min(buffer.byteLength, end - position);
        let written = 0;
        while (written < take) {
          const { bytesWritten } = await handle.write(buffer, written, take - written, position + written);
          written += bytesWritten;
        }
        position += take;
        ctx.addBytes(take);
      }
      if (position === before)
        throw new Error(`OPEN ${remotePath} at ${position} returned no data: the file ended early`);
      failures = 0;
    } catch (err) {
      if (ctx.signal.aborted) throw ctx.abortError();
      if (position > before) failures = 0;
      if (++failures > fs.http.retry.limit) throw err;
      fs.http.logger.info(`OPEN ${remotePath} broke at ${position} (${(err as Error).message}); resuming`);
      await sleep(backoffInMs(failures - 1, fs.http.retry), undefined, { signal: ctx.signal }).catch(
        () => {},
      );
    }
  }
}

async function sha256Of(file: string, ctx: TransferContext): Promise<string> {
  const hash = createHash("sha256");
  for await (const piece of createReadStream(file, { signal: ctx.signal, highWaterMark: 1024 * 1024 })) {
    hash.update(piece as Buffer);
    ctx.touch();
  }
  return hash.digest("hex");
}

async function sizeOf(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).size;
  } catch {
    return undefined;
  }
}

async function exists(file: string): Promise<boolean> {
  return (await sizeOf(file)) !== undefined;
}
