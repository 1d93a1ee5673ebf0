import { type FileHandle, link, mkdir, open, rename, rm, stat, unlink } from "node:fs/promises";
import path from "node:path";
import { AdlkitError } from "@adlkit/core";
import type { Chunk } from "../transfer/plan-chunks.js";
import type { Side } from "./endpoints.js";

/**
 * A file being written at the destination under a staging name (`{target}.adlkit-copy.{run id}`), published
 * onto its target by one atomic rename once verified. Ranges are written in parallel, each as blocks in order:
 * Gen2 appends at their positions and one flush (with the whole file's MD5 when known); Gen1 one segment file per
 * range joined by MSCONCAT (a single range is written straight into the staging file); local, positional writes.
 */
export interface StagedWriter {
  readonly staging: string;
  /** Removes what an interrupted attempt left under this staging name, then starts the file. */
  begin(): Promise<void>;
  /** One block of a range, at `offsetInRange`; blocks of one range come in order, ranges in parallel. */
  writeBlock(range: Chunk, offsetInRange: number, data: Buffer, lastOfRange: boolean): Promise<void>;
  /** Commits every range (the staging file then holds `size` bytes). */
  finish(size: number, md5: string | undefined): Promise<void>;
  /** Renames the staging file onto `target`; an existing target is replaced only with `overwrite`. */
  publish(target: string, overwrite: boolean): Promise<void>;
  /** Deletes the staging file (and segments); never fails. */
  discard(): Promise<void>;
}

function localExists(target: string): AdlkitError {
  return new AdlkitError(`copy to ${target} failed: it already exists`, {
    code: "PATH_EXISTS",
    hint: "Pass overwrite (--overwrite) to replace it.",
  });
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
  return {
    staging,
    begin: () => fs.create(staging, { overwrite: true, ...options }),
    writeBlock: (range, offsetInRange, data) =>
      fs.append(staging, range.offset + offsetInRange, data, options),
    finish: async (size, md5) => {
      await fs.flush(staging, size, { contentMd5: md5, close: true, ...options });
    },
    publish: (target, overwrite) => fs.mv(staging, target, { overwrite, ...options }),
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
        return;
      }
      if (ranges === 1) return;
      const sources = Array.from(
        { length: ranges },
        (_, index) => `${segments}/${String(index).padStart(6, "0")}`,
      );
      await fs.msConcat(staging, sources, { deleteSourceDirectory: true, ...options });
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
    },
    async publish(target, overwrite) {
      if (overwrite) return rename(staging, target);
      // A hard link fails if the target exists (atomically, unlike a look then a rename).
      try {
        await link(staging, target);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === "EEXIST") throw localExists(target);
        if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP") throw err;
        // A filesystem without hard links: look, then rename (a file appearing in between would be replaced).
        if (
          await stat(target).then(
            () => true,
            () => false,
          )
        )
          throw localExists(target);
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
