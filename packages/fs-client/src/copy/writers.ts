import { type FileHandle, link, mkdir, open, rename, rm, stat, unlink } from "node:fs/promises";
import path from "node:path";
import { AdlkitError } from "@adlkit/core";
import { FsError, PathExistsError } from "../errors.js";
import type { Chunk } from "../transfer/plan-chunks.js";
import type { Side } from "./endpoints.js";
import type { CreateCarry } from "./metadata.js";

/**
 * A file being written at the destination under a staging name (`{target}.adlkit-copy.{run id}`), published
 * onto its target by one atomic rename once verified. Ranges are written in parallel, each as blocks in order:
 * Gen2 appends at their positions and one flush (with the whole file's MD5 when known; a file of one block is
 * appended and flushed in one request); Gen1 one segment file per
 * range joined by MSCONCAT (a single range is written straight into the staging file); local, positional writes.
 */
export interface StagedWriter {
  readonly staging: string;
  /**
   * Removes what an interrupted attempt left under this staging name, then starts the file (on Gen2 with the
   * access control `carry` when given: see carryOnCreate).
   */
  begin(carry?: CreateCarry | undefined): Promise<void>;
  /**
   * One block of a range, at `offsetInRange`; blocks of one range come in order, ranges in parallel. `wholeFile`:
   * this block is the whole file (one range, one block), with the file's MD5: Gen2 commits it in the same request.
   */
  writeBlock(
    range: Chunk,
    offsetInRange: number,
    data: Buffer,
    lastOfRange: boolean,
    wholeFile?: { md5: string } | undefined,
  ): Promise<void>;
  /**
   * Commits every range (the staging file then holds `size` bytes). Resolves to the committed file's ETag where
   * the protocol has one (reads back can then name that version).
   */
  finish(size: number, md5: string | undefined): Promise<string | undefined>;
  /**
   * Gen2 only: commits `[0, position)` while the ranges staged beyond it stay staged, so that a run killed later
   * can continue after it (see copyFile).
   */
  commitPrefix?: ((position: number) => Promise<void>) | undefined;
  /** Renames the staging file onto `target`; an existing target is replaced only with `overwrite`. */
  publish(target: string, overwrite: boolean): Promise<void>;
  /** Deletes the staging file (and segments); never fails. */
  discard(): Promise<void>;
}

/** What a copy says when something is in the way at its target. */
export function pathExists(target: string, reason: string): AdlkitError {
  return new AdlkitError(`copy to ${target} failed: ${reason}`, {
    code: "PATH_EXISTS",
    hint: "Pass overwrite (--overwrite) to replace it, or choose another destination.",
  });
}
export const ALREADY_EXISTS = "it already exists (pass overwrite to replace it)";

/**
 * The API version from which a Gen2 create takes `x-ms-acl`, `x-ms-owner`, `x-ms-group` and an append takes
 * `flush=true` (chosen on the safe side: a service that predates a header ignores it, and an ACL would be lost
 * without a word). A client pinned to an older version gets the separate requests.
 */
const COMBINED_WRITES_VERSION = "2021-06-08";

/** Whether writes to this side may combine: access control in the create, one-block appends that also commit. */
export function combinesWrites(side: Side): boolean {
  return side.kind === "gen2" && side.client.apiVersion >= COMBINED_WRITES_VERSION;
}

export function stagingName(target: string, runId: string): string {
  return `${target}.adlkit-copy.${runId}`;
}

export function stagedWriter(side: Side, staging: string, ranges: number, signal: AbortSignal): StagedWriter {
  if (side.kind === "gen2") return gen2Writer(side, staging, signal);
  if (side.kind === "gen1") return gen1Writer(side, staging, ranges, signal);
  return localWriter(staging);
}

function gen2Writer(
  side: Extract<Side, { kind: "gen2" }>,
  staging: string,
  signal: AbortSignal,
): StagedWriter {
  const fs = side.client;
  const options = { abortSignal: signal };
  const combines = combinesWrites(side);
  let committed = false;
  return {
    staging,
    begin: (carry) => fs.create(staging, { overwrite: true, ...carry, ...options }),
    async writeBlock(range, offsetInRange, data, _last, whole) {
      const wholeFile = combines ? whole : undefined;
      await fs.append(staging, range.offset + offsetInRange, data, {
        ...(wholeFile ? { contentMd5: wholeFile.md5, flush: { contentMd5: wholeFile.md5 } } : {}),
        ...options,
      });
      if (wholeFile) committed = true;
    },
    // A file of one block was committed by its append (`flush=true`); an empty file by its create.
    finish: async (size, md5) =>
      committed || size === 0
        ? undefined
        : fs.flush(staging, size, { contentMd5: md5, close: true, ...options }),
    commitPrefix: async (position) => {
      await fs.flush(staging, position, { retainUncommittedData: true, close: false, ...options });
    },
    // Onto the exact name: a file there is replaced only with overwrite, a directory there fails the rename.
    async publish(target, overwrite) {
      try {
        await fs.rename(staging, target, { overwrite, ...options });
      } catch (err) {
        if (err instanceof PathExistsError) throw pathExists(target, ALREADY_EXISTS);
        if (err instanceof FsError && err.exception === "InvalidSourceOrDestinationResourceType")
          throw pathExists(target, "a directory is in the way");
        throw err;
      }
    },
    discard: () => fs.rm(staging, { force: true }).catch(() => {}),
  };
}

function gen1Writer(
  side: Extract<Side, { kind: "gen1" }>,
  staging: string,
  ranges: number,
  signal: AbortSignal,
): StagedWriter {
  const fs = side.client;
  const options = { abortSignal: signal };
  const segments = `${staging}.segments`;
  const leases = new Map<number, string>();
  // A file of one range is written straight into the staging file; more ranges become segments.
  const segmentOf = (range: Chunk) =>
    ranges === 1 ? staging : `${segments}/${String(range.index).padStart(6, "0")}`;
  const discard = async () => {
    await fs.rm(segments, { recursive: true, force: true }).catch(() => {});
    await fs.rm(staging, { force: true }).catch(() => {});
  };
  return {
    staging,
    begin: discard,
    async writeBlock(range, offsetInRange, data, last) {
      const target = segmentOf(range);
      const syncFlag = last ? "CLOSE" : "DATA";
      if (offsetInRange === 0) {
        const { leaseId } = await fs.create(target, { overwrite: true, data, syncFlag, ...options });
        leases.set(range.index, leaseId);
      } else {
        await fs.append(target, data, {
          offset: offsetInRange,
          syncFlag,
          leaseId: leases.get(range.index),
          ...options,
        });
      }
      if (last) leases.delete(range.index);
    },
    async finish(size) {
      if (size === 0) {
        await fs.create(staging, { overwrite: true, syncFlag: "CLOSE", ...options });
        return undefined;
      }
      if (ranges === 1) return undefined;
      const sources = Array.from(
        { length: ranges },
        (_, index) => `${segments}/${String(index).padStart(6, "0")}`,
      );
      await fs.msConcat(staging, sources, { deleteSourceDirectory: true, ...options });
      return undefined;
    },
    publish: (target, overwrite) => fs.mv(staging, target, { overwrite, ...options }),
    discard,
  };
}

function localWriter(staging: string): StagedWriter {
  let handle: FileHandle | undefined;
  return {
    staging,
    async begin() {
      await mkdir(path.dirname(staging), { recursive: true });
      handle = await open(staging, "w");
    },
    async writeBlock(range, offsetInRange, data) {
      let done = 0;
      while (done < data.byteLength) {
        const { bytesWritten } = await (handle as FileHandle).write(
          data,
          done,
          data.byteLength - done,
          range.offset + offsetInRange + done,
        );
        done += bytesWritten;
      }
    },
    async finish() {
      await handle?.sync();
      await handle?.close();
      handle = undefined;
      return undefined;
    },
    async publish(target, overwrite) {
      if (overwrite) return rename(staging, target);
      // A hard link fails if the target exists (atomically, unlike a look then a rename).
      try {
        await link(staging, target);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === "EEXIST") throw pathExists(target, ALREADY_EXISTS);
        if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP") throw err;
        // A filesystem without hard links: look, then rename (a file appearing in between would be replaced).
        if (
          await stat(target).then(
            () => true,
            () => false,
          )
        )
          throw pathExists(target, ALREADY_EXISTS);
        return rename(staging, target);
      }
      await unlink(staging);
    },
    async discard() {
      await handle?.close().catch(() => {});
      handle = undefined;
      await rm(staging, { force: true });
    },
  };
}
