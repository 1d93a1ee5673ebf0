import type { BlobRange } from "./blob-store.js";
import type { Extent } from "./metadata-types.js";

/** The blob ranges holding a file's bytes [start, end), given its committed extents in order. */
export function rangesOf(extents: Extent[], start: number, end: number): BlobRange[] {
  const ranges: BlobRange[] = [];
  let base = 0;
  for (const extent of extents) {
    const from = Math.max(start, base);
    const to = Math.min(end, base + extent.length);
    if (from < to) ranges.push({ blob: extent.blob, start: from - base, end: to - base });
    base += extent.length;
  }
  return ranges;
}
