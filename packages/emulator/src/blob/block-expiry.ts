import type { AccountStore } from "../store/account-stores.js";
import type { PathState } from "../store/path-state.js";
import { TimeSlice } from "../store/time-slice.js";

/** Paths whose blocks are dropped per transaction. */
const BATCH = 500;

/**
 * Uncommitted blocks expire as the service's do: a path's blocks are discarded once `lifetimeMs` (the config's
 * `uncommittedBlockLifetimeSeconds`, a week by default, as in Azure) has passed since its last Put Block without
 * a Put Block List. Runs before each Gen2 request, so no request sees an expired block: one indexed query that
 * usually finds nothing; many paths expiring at once are dropped a batch per transaction, with other requests
 * served in between.
 */
export async function purgeStaleBlocks(
  store: AccountStore,
  state: PathState,
  now: number,
  lifetimeMs: number,
): Promise<void> {
  const before = now - lifetimeMs;
  const slice = new TimeSlice();
  while (state.hasStaleBlocks(before)) {
    const taken = await store.meta.commit(() => state.takeStaleBlocks(before, BATCH));
    await store.blobs.remove(taken.blobs);
    if (taken.paths < BATCH) return;
    await slice.pause();
  }
}
