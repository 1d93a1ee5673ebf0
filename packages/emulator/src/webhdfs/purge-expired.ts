import type { AccountStore } from "../store/account-stores.js";

/**
 * Removes files whose expiry instant has passed (§6.10), so every operation sees them as never existing.
 * One indexed query per request; usually it finds nothing.
 */
export async function purgeExpired(store: AccountStore, now: number): Promise<void> {
  const ids = store.meta.expiredIds(now);
  if (ids.length === 0) return;
  const freed = await store.meta.commit(() => {
    const blobs: string[] = [];
    for (const id of ids) {
      const node = store.meta.byId(id);
      if (node?.kind !== "file" || node.expiry === 0 || node.expiry > now) continue;
      blobs.push(...store.meta.deleteSubtree(id));
      if (node.parent !== null) store.meta.touch(node.parent, now);
    }
    return blobs;
  });
  await store.blobs.remove(freed);
}
