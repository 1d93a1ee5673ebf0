import { createHash } from "node:crypto";
import { open } from "node:fs/promises";
import { mayHaveLanded } from "@adlkit/core";
import { PathExistsError } from "../errors.js";
import { readRange } from "../operations/read.js";
import { tryGetFileStatus } from "../operations/status.js";
import { create } from "../operations/write.js";
import type { WebHdfs } from "../webhdfs.js";
import { existsError, verifyLength } from "./checks.js";
import type { TransferContext } from "./context.js";
import { readerOf, readFully } from "./file-body.js";
import { readState, StateFile } from "./resume-state.js";
import { discardSegments } from "./segments.js";
import type { FileTransferResult, FileTransferSettings } from "./settings.js";
import { uploadStatePath } from "./state-paths.js";

/**
 * One CREATE carrying the whole file with `syncFlag=CLOSE`: the service applies it atomically, so the target is
 * never seen incomplete, and there is nothing to resume. Without `overwrite` a CREATE that may have landed (its
 * answer lost) cannot simply be repeated: the repeat would meet our own file as "already exists". So before a
 * retry the hook looks: our exact bytes there means it landed (done); nothing there means try again; anything
 * else is someone else's file and the failure stands. "Our exact bytes" can only mean our CREATE because the
 * caller has made sure nothing stood there before the first attempt (see `uploadSmallFile`).
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

/** Uploads a file of at most one block as one CREATE (see `createSmallFile`), then checks its length. */
export async function uploadSmallFile(
  fs: WebHdfs,
  ctx: TransferContext,
  localPath: string,
  target: string,
  size: number,
  settings: FileTransferSettings,
): Promise<FileTransferResult> {
  const data = size === 0 ? Buffer.alloc(0) : await readExactly(localPath, size);
  // A larger version of this file may have left an interrupted upload behind: discard it.
  const saved = await readState(uploadStatePath(localPath), "upload");
  if (saved) {
    await discardSegments(fs, saved, ctx.signal);
    await new StateFile(uploadStatePath(localPath), saved).remove();
  }
  if (!settings.overwrite && settings.targetMayExist !== false) {
    // Refuse what the service would refuse, before sending: otherwise a retried CREATE could take an identical
    // file that was there all along for its own landed bytes, and report success for a file it never wrote.
    const existing = await tryGetFileStatus(fs, target, { abortSignal: ctx.signal });
    if (existing) {
      const directory = existing.type === "DIRECTORY";
      throw existsError(fs, target, directory ? "a directory is in the way" : "path already exists");
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
    ...(saved ? { startedOver: true } : {}),
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
