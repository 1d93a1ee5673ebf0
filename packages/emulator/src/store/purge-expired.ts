import type { AccountStore } from "./account-stores.js";
import type { FsNode } from "./metadata-store.js";
import { TimeSlice } from "./time-slice.js";

/** Expired files deleted per transaction. */
const BATCH = 500;

/**
 * Removes files whose expiry instant has passed (§6.10), so every operation sees them as never existing. Runs
 * before each request: one indexed query that usually finds nothing. Many files expiring at once are deleted a
 * batch per transaction, other requests running in between (each of which helps, before its own operation).
 */
export async function purgeExpired(
  store: AccountStore,
  now: number,
  /** Inside the transaction, before a file goes: what else it takes along (Gen2: its uncommitted blocks). */
  alsoRemove?: (node: FsNode) => string[],
): Promise<void> {
  const slice = new TimeSlice();
  for (;;) {
    const ids = store.meta.expiredIds(now, BATCH);
    if (ids.length === 0) return;
    let removed = 0;
    const freed = await store.meta.commit(() => {
      const blobs: string[] = [];
      for (const id of ids) {
        const node = store.meta.byId(id);
        if (node?.kind !== "file" || node.expiry === 0 || node.expiry > now) continue;
        if (alsoRemove) blobs.push(...alsoRemove(node));
        blobs.push(...store.meta.remove(node));
        if (node.parent !== null) store.meta.touch(node.parent, now);
        removed++;
      }
      return blobs;
    });
    await store.blobs.remove(freed);
    if (ids.length < BATCH || removed === 0) return;
    await slice.pause();
  }
}
