import type { Chunk } from "../transfer/plan-chunks.js";
import type { Entry } from "./endpoints.js";

/**
 * A big file's ranges committed as they complete, so that a copy killed part way continues after them (Gen2: a
 * flush that keeps the later ranges staged), and what a resumed copy may take over from the run it continues.
 */

/**
 * How many of the first ranges a killed run left committed and recorded (`from`): the staging file must be there
 * (`staged()`), exactly that long, and end on a range boundary. 0 starts the file over. Their digests are the ones
 * computed from the source when they were copied; the read-back checks them again.
 */
export async function resumedRanges(
  from: { committed: number; sha256: string[] } | undefined,
  ranges: Chunk[],
  staged: () => Promise<Entry | undefined>,
): Promise<number> {
  if (!from || from.committed <= 0) return 0;
  const count = ranges.findIndex((r) => r.offset + r.length === from.committed) + 1;
  if (count === 0 || count === ranges.length || from.sha256.length < count) return 0;
  const there = await staged();
  return there?.type === "FILE" && there.length === from.committed ? count : 0;
}

export interface Committer {
  /** Called when a range is written; resolves once what it completes from the start is committed and recorded. */
  rangeDone(index: number): Promise<void>;
  /** Whether some ranges are committed and recorded (by this run or the one it continues). */
  committed(): boolean;
}

/**
 * Commits the ranges done so far from the start (after the `resumed` ones), as they complete in any order, and
 * records each commit (`record(end, first, digests of ranges first..)`). One commit at a time; the last range's is
 * the file's final flush, not made here.
 */
export function committer(
  commitPrefix: (position: number) => Promise<void>,
  record: (committed: number, first: number, sha256: string[]) => Promise<void>,
  ranges: Chunk[],
  digests: string[],
  resumed: number,
): Committer {
  const finished = new Set<number>();
  const size = ranges.reduce((n, r) => n + r.length, 0);
  let next = resumed; // the first range not yet committed
  let recorded = resumed > 0;
  let chain = Promise.resolve();
  return {
    committed: () => recorded,
    rangeDone(index) {
      finished.add(index);
      const first = next;
      while (finished.delete(next)) next++;
      const last = ranges[next - 1];
      const end = last ? last.offset + last.length : 0;
      if (next === first || end === size) return chain;
      const upto = next;
      chain = chain.then(async () => {
        await commitPrefix(end);
        await record(end, first, digests.slice(first, upto));
        recorded = true;
      });
      return chain;
    },
  };
}
