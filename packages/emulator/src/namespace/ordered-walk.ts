import type { FsNode, MetadataStore } from "../store/metadata-store.js";

/** Entries read per query. */
const PAGE = 500;

/** One item of an ordered walk: the node and its path relative to where the walk started. */
export interface WalkItem {
  node: FsNode;
  relative: string[];
}

/** Segment-wise order of relative paths: a directory before its entries, entries by name (pre-order). */
export function comparePaths(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  }
  return a.length - b.length;
}

/**
 * Everything below `start` (not `start` itself) in pre-order, entries of a directory by name, strictly after
 * the relative path `after` when given: a walk that a continuation token can resume without revisiting what it
 * skips (subtrees wholly before `after` are not read). `recursive: false` yields the direct entries only.
 * Synchronous: take what one page needs inside one transaction.
 */
export function* walkAfter(
  meta: MetadataStore,
  start: FsNode,
  options: { after?: readonly string[]; recursive: boolean },
): Generator<WalkItem, void> {
  const after = options.after;
  function* entries(dir: FsNode, relative: string[]): Generator<WalkItem, void> {
    // Where `after` lies below this directory, resume at its entry there (inclusive: its own entries may follow).
    const resumeAt =
      after && after.length > relative.length && comparePaths(relative, after.slice(0, relative.length)) === 0
        ? after[relative.length]
        : undefined;
    let from = "";
    if (resumeAt !== undefined) {
      const entry = meta.child(dir.id, resumeAt);
      if (entry) yield* visit(entry, [...relative, resumeAt]);
      from = resumeAt;
    }
    for (;;) {
      const page = meta.childPage(dir.id, from, PAGE);
      for (const row of page) {
        const node = meta.byId(row.id);
        if (node) yield* visit(node, [...relative, row.name]);
      }
      if (page.length < PAGE) return;
      from = page[page.length - 1]!.name;
    }
  }
  function* visit(node: FsNode, relative: string[]): Generator<WalkItem, void> {
    if (!after || comparePaths(relative, after) > 0) yield { node, relative };
    if (options.recursive && node.kind === "directory") yield* entries(node, relative);
  }
  yield* entries(start, []);
}

/** A continuation token for "after this relative path" (opaque to clients; URL-safe). */
export function continuationFor(relative: readonly string[]): string {
  return Buffer.from(JSON.stringify(relative), "utf8").toString("base64url");
}

/** The relative path a continuation token stands for; undefined when it is not one of ours. */
export function parseContinuation(token: string): string[] | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (Array.isArray(value) && value.every((item) => typeof item === "string" && item.length > 0))
      return value as string[];
  } catch {
    // falls through
  }
  return undefined;
}
