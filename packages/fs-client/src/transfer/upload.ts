import { randomBytes } from "node:crypto";
import { IntegrityError } from "../errors.js";
import { remove } from "../operations/namespace.js";
import { tryGetFileStatus } from "../operations/status.js";
import { baseName, normalizePath } from "../paths.js";
import type { WebHdfs } from "../webhdfs.js";
import { existsError, sha256OfFile, verifyLength } from "./checks.js";
import type { TransferContext } from "./context.js";
import { openUploadSource, statUploadSource } from "./file-body.js";
import { planChunks, segmentDirectory, segmentPath } from "./plan-chunks.js";
import { canResumeUpload, readState, StateFile, type UploadState } from "./resume-state.js";
import { runAll } from "./run-all.js";
import {
  concatSegments,
  discardSegments,
  ownSegmentDirectory,
  sha256OfSegments,
  uploadSegment,
  verifiedSegments,
} from "./segments.js";
import type { FileTransferResult, FileTransferSettings } from "./settings.js";
import { uploadStatePath } from "./state-paths.js";
import { failedUpload, uploaded } from "./upload-outcome.js";
import { uploadSmallFile } from "./upload-small-file.js";

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
  const { size, mtimeMs } = await statUploadSource(localPath, ctx);

  if (size <= settings.blockSize && (size === 0 || !settings.checksum))
    return uploadSmallFile(fs, ctx, localPath, target, size, settings);

  const existing = await tryGetFileStatus(fs, target, { abortSignal: ctx.signal });
  if (existing?.type === "DIRECTORY") throw existsError(fs, target, "a directory is in the way");
  if (existing && !settings.overwrite) throw existsError(fs, target, "path already exists");

  const chunks = planChunks(size, settings.chunkSize);
  const stateFilePath = uploadStatePath(localPath);
  const expected = { target, source: { size, mtimeMs }, chunkSize: settings.chunkSize };
  // Read even without `resume`: an earlier run's segments that are not continued are deleted below, or nothing
  // would ever refer to them again once the new state file replaces the old one.
  const saved = await readState(stateFilePath, "upload");
  let state: UploadState;
  let resumedBytes = 0;
  let startedOver = false;
  if (saved && settings.resume && canResumeUpload(saved, expected) && ownSegmentDirectory(saved)) {
    const verified = await verifiedSegments(fs, saved, chunks, target, ctx.signal);
    state = { ...saved, completed: verified };
    resumedBytes = verified.reduce((sum, index) => sum + (chunks[index]?.length ?? 0), 0);
    fs.http.logger.info(
      `upload ${target}: resuming, ${verified.length}/${chunks.length} segments already on the server`,
    );
  } else {
    if (saved) {
      startedOver = true;
      await discardSegments(fs, saved, ctx.signal);
      fs.http.logger.info(`upload ${target}: not resuming an earlier upload; its segments were deleted`);
    }
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

  const { file, buffers, read } = await openUploadSource(localPath, size, settings, ctx.chunks.limit);
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
    return uploaded(target, size, resumedBytes, startedOver, sha256);
  } catch (err) {
    return await failedUpload(err, ctx, settings, async () => {
      await remove(fs, state.segmentDir, { recursive: true }).catch(() => false);
      await stateFile.remove();
    });
  } finally {
    await file.close();
  }
}
