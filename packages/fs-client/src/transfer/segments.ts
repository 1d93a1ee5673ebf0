// The segments of a large upload: each written as its own file (CREATE + offset-checked APPENDs), checked on
// resume, read back for a checksum, and joined into the target by MSCONCAT.
import { createHash } from "node:crypto";
import { mayHaveLanded } from "@adlkit/core";
import { IntegrityError, PathNotFoundError } from "../errors.js";
import { list } from "../operations/list.js";
import { remove } from "../operations/namespace.js";
import { readInto } from "../operations/read.js";
import { tryGetFileStatus } from "../operations/status.js";
import { append, create, msConcat } from "../operations/write.js";
import { baseName } from "../paths.js";
import type { WebHdfs } from "../webhdfs.js";
import { existsError } from "./checks.js";
import type { TransferContext } from "./context.js";
import { type FileBody, fileBody, type ReadAt } from "./file-body.js";
import { type Chunk, planBlocks, segmentPath } from "./plan-chunks.js";
import type { UploadState } from "./resume-state.js";

export async function uploadSegment(
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

/**
 * Whether a saved state's segment directory is one this client would have made for its target
 * (`{target}.segments.{16 hex}`). Only such a directory is continued (MSCONCAT deletes it) or deleted: a state
 * file copied along with its source, or edited, must never make an upload delete something else.
 */
export function ownSegmentDirectory(saved: UploadState): boolean {
  const dir = saved.segmentDir;
  return /\.segments\.[0-9a-f]{16}$/.test(dir) && dir.slice(0, -26) === saved.target;
}

/** Deletes the segments of an earlier upload that will not be continued (only its own segment directory). */
export async function discardSegments(fs: WebHdfs, saved: UploadState, signal: AbortSignal): Promise<void> {
  if (!ownSegmentDirectory(saved)) return;
  await remove(fs, saved.segmentDir, { recursive: true, abortSignal: signal }).catch(() => false);
}

/** The completed segments of a saved upload that really are on the server with their full length. */
export async function verifiedSegments(
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
export async function concatSegments(
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

/** SHA-256 of the segments as stored, read back in order (so the target is only published when it matches). */
export async function sha256OfSegments(
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
