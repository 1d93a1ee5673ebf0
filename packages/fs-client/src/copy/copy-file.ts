import { createHash } from "node:crypto";
import type { BufferPool } from "@adlkit/bulk-io";
import { IntegrityError, SourceChangedError } from "../errors.js";
import type { TransferContext } from "../transfer/context.js";
import { type Chunk, planChunks } from "../transfer/plan-chunks.js";
import { runAll } from "../transfer/run-all.js";
import { type Committer, committer, resumedRanges } from "./commits.js";
import { type Entry, type Side, sameVersion, statOf } from "./endpoints.js";
import type { CreateCarry } from "./metadata.js";
import { readSource } from "./source.js";
import { ALREADY_EXISTS, pathExists, type StagedWriter, stagedWriter } from "./writers.js";

export interface FileCopy {
  source: Side;
  destination: Side;
  /** The source file's status when its copy started (the version the copy must be of). */
  entry: Entry;
  target: string;
  staging: string;
  chunkSize: number;
  blockSize: number;
  /** Buffers of `blockSize`, one per range in flight, reused across ranges and files. */
  blocks: BufferPool;
  /** Buffers of LANDING_BYTES where a remote body lands, one per range in flight (see readSource). */
  landings: BufferPool;
  overwrite: boolean;
  ctx: TransferContext;
  /** Access control the destination's create sets (Gen2; see carryOnCreate). */
  createWith?: CreateCarry | undefined;
  /** Carries ACL, owner, permissions onto the staging file (before it is published: a rename keeps them). */
  beforePublish?: ((staging: string) => Promise<void>) | undefined;
  /** Records the verification just before the rename (so that a run killed right after it knows). */
  onVerified?: ((sha256: string[]) => Promise<void>) | undefined;
  /** What a killed run committed of this file (same source version, same ranges): continued, not redone. */
  resumeFrom?: { committed: number; sha256: string[] } | undefined;
  /**
   * Records that the first ranges are committed at the destination (Gen2, files of several ranges): `sha256` are
   * the digests of ranges `first` on, up to `committed` bytes. Without it nothing is committed before the end.
   */
  onCommitted?: ((committed: number, first: number, sha256: string[]) => Promise<void>) | undefined;
}

/**
 * Copies one file, streaming from the source to the destination through this process (no local disk): ranges of
 * `chunkSize` in parallel, each read once and written as blocks of `blockSize` (one block buffer per range in
 * flight). The SHA-256 of every range is computed on the bytes as they are read, then the staging file is read
 * back and each range's SHA-256 compared, with its length; the source is looked at again (length, modification
 * time, ETag) and a change fails the file with SourceChangedError. Only then is the staging file renamed onto the
 * target. A file of several ranges on Gen2 has its leading ranges committed as they complete (see commits.ts): a
 * run killed part way is continued after them by `resume`. Resolves to the ranges' SHA-256 digests (one range:
 * the whole file's).
 */
export async function copyFile(job: FileCopy): Promise<string[]> {
  const { ctx, entry, destination } = job;
  const size = entry.length;
  ctx.addFile(size);
  ctx.throwIfAborted();
  const ranges = size === 0 ? [] : planChunks(size, job.chunkSize);
  // Gen2's publish is a rename that refuses what is in the way (file without overwrite, directory): a file of one
  // range learns it there, for the price of its one range; a bigger one looks first.
  if (ranges.length > 1 || destination.kind !== "gen2")
    await checkTarget(destination, job.target, job.overwrite, ctx.signal);
  const writer = stagedWriter(destination, job.staging, ranges.length, ctx.signal);
  let commits: Committer | undefined;
  try {
    const digests: string[] = new Array(ranges.length);
    const { commitPrefix } = writer;
    const record = job.onCommitted;
    const resumable = ranges.length > 1 && commitPrefix !== undefined && record !== undefined;
    const resumed = resumable
      ? await resumedRanges(job.resumeFrom, ranges, () => statOf(destination, job.staging, ctx.signal))
      : 0;
    commits = resumable ? committer(commitPrefix, record, ranges, digests, resumed) : undefined;
    if (resumed === 0) await writer.begin(job.createWith);
    for (let i = 0; i < resumed; i++) {
      digests[i] = job.resumeFrom?.sha256[i] ?? "";
      ctx.addBytes(ranges[i]?.length ?? 0);
    }
    const md5 = ranges.length === 1 ? fileMd5() : undefined;
    await runAll(ranges.slice(resumed), (range) =>
      ctx.chunks.run(async () => {
        digests[range.index] = await copyRange(job, writer.writeBlock, range, md5);
        await commits?.rangeDone(range.index);
      }, ctx.signal),
    );
    const etag = await writer.finish(size, md5?.value());
    await verify(job, ranges, digests, etag);
    await job.beforePublish?.(job.staging);
    await job.onVerified?.(digests);
    await writer.publish(job.target, job.overwrite);
    ctx.fileDone();
    return digests;
  } catch (err) {
    // Stopped (Ctrl-C) with ranges committed and recorded: the staging file stays, for resume to continue.
    if (!(ctx.signal.aborted && commits?.committed())) await writer.discard();
    if (ctx.signal.aborted) throw ctx.abortError();
    throw err;
  }
}

type WriteBlock = StagedWriter["writeBlock"];

/** The MD5 of a file of one range, hashed as its bytes pass; its value taken once. */
interface FileMd5 {
  update(data: Buffer): void;
  value(): string;
}

function fileMd5(): FileMd5 {
  const hash = createHash("md5");
  let value: string | undefined;
  return {
    update: (data) => hash.update(data),
    value: () => {
      value ??= hash.digest("base64");
      return value;
    },
  };
}

/** One range: read, hashed as it comes, written a block at a time. */
async function copyRange(
  job: FileCopy,
  write: WriteBlock,
  range: Chunk,
  md5: FileMd5 | undefined,
): Promise<string> {
  const hash = createHash("sha256");
  const buffer = job.blocks.take();
  try {
    return await copyRangeInto(
      job,
      write,
      range,
      md5,
      hash,
      buffer.subarray(0, Math.min(buffer.byteLength, range.length)),
    );
  } finally {
    // Every write into it has been answered (or failed) by now: the next range may have it.
    job.blocks.give(buffer);
  }
}

async function copyRangeInto(
  job: FileCopy,
  write: WriteBlock,
  range: Chunk,
  md5: FileMd5 | undefined,
  hash: ReturnType<typeof createHash>,
  block: Buffer,
): Promise<string> {
  const { ctx } = job;
  let filled = 0;
  let written = 0;
  const flush = async () => {
    const data = block.subarray(0, filled);
    hash.update(data);
    md5?.update(data);
    // The whole file in one block (a small file): the destination may commit it with this very write.
    const whole = md5 && written === 0 && filled === job.entry.length ? { md5: md5.value() } : undefined;
    await write(range, written, data, written + filled === range.length, whole);
    written += filled;
    ctx.addBytes(filled);
    filled = 0;
  };
  for await (const piece of readSource(
    job.source,
    job.entry,
    range.offset,
    range.length,
    job.landings,
    ctx.signal,
  )) {
    let used = 0;
    while (used < piece.byteLength) {
      const n = Math.min(piece.byteLength - used, block.byteLength - filled);
      piece.copy(block, filled, used, used + n);
      filled += n;
      used += n;
      ctx.touch();
      if (filled === block.byteLength) await flush();
    }
  }
  if (filled > 0) await flush();
  if (written !== range.length)
    throw new SourceChangedError(
      `copy ${job.entry.path}: the source ended at ${range.offset + written} bytes, ${range.offset + range.length} expected`,
      { path: job.entry.path, expected: String(job.entry.length), actual: String(range.offset + written) },
    );
  return hash.digest("hex");
}

/**
 * Each range read back against its digest, the length (the last range asks for one byte more than the file should
 * hold: a longer file shows, a shorter one comes short; an empty file is looked at), and the source unchanged.
 * `etag`: the committed version, where the writer knows it (the reads then name it).
 */
async function verify(
  job: FileCopy,
  ranges: Chunk[],
  digests: string[],
  etag: string | undefined,
): Promise<void> {
  const { ctx, destination } = job;
  const size = job.entry.length;
  const lengthError = (actual: string) =>
    new IntegrityError(`copy ${job.target}: the destination holds ${actual} bytes, expected ${size}`, {
      path: job.target,
      expected: String(size),
      actual,
    });
  if (size === 0) {
    const staged = await statOf(destination, job.staging, ctx.signal);
    if (staged?.type !== "FILE" || staged.length !== 0)
      throw lengthError(String(staged?.length ?? "no file"));
  }
  const staged: Entry = { path: job.staging, type: "FILE", length: size, modificationTime: 0, etag };
  await runAll(ranges, (range) =>
    ctx.chunks.run(async () => {
      const hash = createHash("sha256");
      const last = range.offset + range.length === size;
      let read = 0;
      for await (const piece of readSource(
        destination,
        staged,
        range.offset,
        range.length + (last ? 1 : 0),
        job.landings,
        ctx.signal,
      )) {
        hash.update(piece);
        read += piece.byteLength;
        ctx.touch();
      }
      if (read !== range.length)
        throw lengthError(read > range.length ? `more than ${size}` : String(range.offset + read));
      const actual = hash.digest("hex");
      if (actual !== digests[range.index])
        throw new IntegrityError(
          `copy ${job.target}: bytes ${range.offset}-${range.offset + range.length - 1} read back from the destination differ from the source's (SHA-256)`,
          { path: job.target, expected: digests[range.index] ?? "", actual },
        );
    }, ctx.signal),
  );
  const now = await statOf(job.source, job.entry.path, ctx.signal);
  if (!now || !sameVersion(job.source, job.entry, now))
    throw new SourceChangedError(`copy ${job.entry.path}: the file changed at the source during the copy`, {
      path: job.entry.path,
      expected: versionText(job.entry),
      actual: now ? versionText(now) : "deleted",
    });
}

function versionText(v: { length: number; modificationTime: number; etag?: string | undefined }): string {
  return `${v.length} bytes, modified ${v.modificationTime}${v.etag ? `, ETag ${v.etag}` : ""}`;
}

/** Fails unless the target is free, or a file that `overwrite` may replace. */
export async function checkTarget(
  destination: Side,
  target: string,
  overwrite: boolean,
  signal: AbortSignal,
): Promise<void> {
  const there = await statOf(destination, target, signal);
  if (there?.type === "DIRECTORY") throw pathExists(target, "a directory is in the way");
  if (there && !overwrite) throw pathExists(target, ALREADY_EXISTS);
}
