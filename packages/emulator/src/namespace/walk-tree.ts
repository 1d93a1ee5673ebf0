import type { ChildRow, FsNode, MetadataStore } from "../store/metadata-store.js";
import { TimeSlice } from "../store/time-slice.js";

/** Entries read per query while walking a tree. */
const PAGE = 1000;

/** What a walk does at each directory (it may throw to stop the walk) and with each page of its entries. */
export interface TreeVisitor {
  directory(dir: FsNode): void;
  entries?(dir: FsNode, page: readonly ChildRow[]): void;
}

/**
 * Walks `root` and every directory below it, depth-first, reading entries a page at a time. A generator that
 * stops after each page, so the caller chooses: `walkInSlices` lets other requests run between pages (outside
 * a transaction), `walkNow` runs to the end (inside one). A directory removed while the walk paused is skipped.
 */
function* walk(meta: MetadataStore, root: FsNode, visitor: TreeVisitor): Generator<void, void> {
  const pending = [root.id];
  while (pending.length > 0) {
    const dir = meta.byId(pending.pop()!);
    if (dir?.kind !== "directory") continue;
    visitor.directory(dir);
    for (let after = ""; ; ) {
      const page = meta.childPage(dir.id, after, PAGE);
      visitor.entries?.(dir, page);
      for (const row of page) if (row.kind === "directory") pending.push(row.id);
      yield;
      if (page.length < PAGE) break;
      after = page[page.length - 1]!.name;
    }
  }
}

/** Walks the whole tree at once: for a walk inside a transaction. */
export function walkNow(meta: MetadataStore, root: FsNode, visitor: TreeVisitor): void {
  for (const _ of walk(meta, root, visitor));
}

/** Walks the tree in time slices, letting other requests run between them (see SLICE_MS). */
export async function walkInSlices(meta: MetadataStore, root: FsNode, visitor: TreeVisitor): Promise<void> {
  const slice = new TimeSlice();
  for (const _ of walk(meta, root, visitor)) await slice.pause();
}
