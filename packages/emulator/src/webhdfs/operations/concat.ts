import { readSmallBody, sendEmpty } from "../../http/respond.js";
import { checkBelowInSlices, requireRemoval, type SubtreeCheck } from "../../namespace/removal.js";
import { createChild, ensureDirectory, lookup, lookupAll, requireAccess } from "../../namespace/tree.js";
import { READ, WRITE } from "../../store/acl.js";
import type { Extent, FsNode } from "../../store/metadata-store.js";
import { TimeSlice } from "../../store/time-slice.js";
import type { FsRequest, Operation } from "../fs-request.js";
import { normaliseDecodedPath, PathError, pathString } from "../parse-request.js";
import { remoteErrors } from "../remote-exception.js";
import { requiredParam } from "./params.js";
import { parseSourcesBody } from "./sources-body.js";

/**
 * Most sources one MSCONCAT or CONCAT joins. Neither the service nor HDFS documents a limit; this one keeps the
 * single transaction that joins them to tens of milliseconds (it cannot let other requests run halfway), and
 * still lets the Python uploader join a 512 GiB file from its default 256 MiB segments. Beyond it: 400
 * IllegalArgumentException.
 */
export const MAX_CONCAT_SOURCES = 2048;

/** Sources looked up between two chances for other requests to run, before the transaction. */
const PREVIEW_CHUNK = 256;

/** Largest MSCONCAT body: the limit's worth of sources of up to 2 KiB each. */
const MAX_SOURCES_BODY = 8 * 1024 * 1024;

/**
 * MSCONCAT (§4.10): sources from a JSON body `{"sources":[…]}` or the legacy `sources=a,b`. Concatenation
 * moves extents (no bytes are copied), so a 1 GiB upload's segments join in one metadata transaction.
 */
export const msConcat: Operation = {
  method: "POST",
  async run(req) {
    const deleteSourceDirectory = req.params.boolean("deleteSourceDirectory", false);
    const body = await readSmallBody(req.ctx.req, MAX_SOURCES_BODY);
    await concatenate(req, parseSourcesBody(req.op, body, MAX_CONCAT_SOURCES), deleteSourceDirectory);
    sendEmpty(req.ctx.res, 200);
  },
};

/** CONCAT (§4.11): plain WebHDFS, sources in a comma-separated query parameter. */
export const concat: Operation = {
  method: "POST",
  async run(req) {
    req.ctx.req.resume();
    const sources = requiredParam(req, "sources")
      .split(",")
      .filter((s) => s !== "");
    await concatenate(req, sources, false);
    sendEmpty(req.ctx.res, 200);
  },
};

async function concatenate(
  req: FsRequest,
  rawSources: string[],
  deleteSourceDirectory: boolean,
): Promise<void> {
  if (rawSources.length === 0) throw remoteErrors.illegalArgument(req.op, "No sources were given");
  if (rawSources.length > MAX_CONCAT_SOURCES)
    throw remoteErrors.illegalArgument(req.op, `At most ${MAX_CONCAT_SOURCES} sources can be joined at once`);
  // Up to the transaction, a long list is worked through in time slices (the transaction checks it all again).
  const slice = new TimeSlice();
  const sourcePaths: string[][] = [];
  try {
    for (const source of rawSources) {
      sourcePaths.push(normaliseDecodedPath(source));
      await slice.pause();
    }
  } catch (err) {
    if (err instanceof PathError) throw remoteErrors.illegalArgument(req.op, err.message);
    throw err;
  }
  const keys = sourcePaths.map((segments) => segments.join("/"));
  if (new Set(keys).size !== keys.length)
    throw remoteErrors.illegalArgument(req.op, "A source is listed twice");
  if (keys.includes(req.segments.join("/")))
    throw remoteErrors.illegalArgument(req.op, "The destination cannot be one of the sources");
  if (req.segments.length === 0)
    throw remoteErrors.illegalArgument(req.op, "The destination cannot be the root");

  const preview = lookupAll(req, [req.segments]);
  for (let i = 0; i < sourcePaths.length; i += PREVIEW_CHUNK) {
    preview.push(...lookupAll(req, sourcePaths.slice(i, i + PREVIEW_CHUNK)));
    await slice.pause();
  }
  // What removing the sources' directories needs below them is walked first, in time slices (removal.ts).
  const checks = new Map<number, SubtreeCheck | undefined>();
  let freed: string[] = [];
  try {
    if (deleteSourceDirectory) {
      for (const { parent } of preview.slice(1))
        if (parent && !checks.has(parent.id)) checks.set(parent.id, await checkBelowInSlices(req, parent));
    }
    // Lock every file involved so no APPEND writes into an extent while it changes owner.
    const ids = preview.map((found) => found.node?.id).filter((id) => id !== undefined);
    const release = await req.store.locks.acquireAll(ids);
    try {
      await req.store.meta.commit(() => {
        freed = concatInTree(req, sourcePaths, deleteSourceDirectory ? checks : undefined);
      });
    } finally {
      release();
    }
  } finally {
    for (const check of checks.values()) check?.release();
  }
  await req.store.blobs.remove(freed);
  await req.store.reaper.idle(); // a source directory that went to the trash
}

/**
 * Joins the sources onto the destination inside one transaction. Each source is consumed (removed), so it needs
 * read on itself and what removal needs (removal.ts); with `sourceDirectories`, the directories holding the
 * sources are removed as a whole, which needs exactly what a recursive DELETE of each needs.
 */
function concatInTree(
  req: FsRequest,
  sourcePaths: string[][],
  sourceDirectories: Map<number, SubtreeCheck | undefined> | undefined,
): string[] {
  const { meta } = req.store;
  const now = Date.now();
  const sources = lookupAll(req, sourcePaths).map((found, i) => {
    const segments = sourcePaths[i]!;
    if (!found.node) throw remoteErrors.notFound(pathString(segments));
    if (found.node.kind !== "file")
      throw remoteErrors.illegalArgument(req.op, `The source ${pathString(segments)} is not a file`);
    requireAccess(req, found.node, READ);
    requireRemoval(req, found.parent!, found.node);
    return { node: found.node, parent: found.parent! };
  });
  const target = lookup(req, req.segments);
  if (target.node?.kind === "directory")
    throw remoteErrors.illegalArgument(req.op, `The destination ${req.path} is a directory`);
  if (target.node) requireAccess(req, target.node, WRITE);

  const dirs = new Map<number, FsNode>();
  if (sourceDirectories) {
    for (const [i, { parent }] of sources.entries()) {
      const dirPath = sourcePaths[i]!.slice(0, -1);
      if (dirPath.length === 0 || dirPath.every((name, j) => req.segments[j] === name)) {
        throw remoteErrors.illegalArgument(
          req.op,
          "deleteSourceDirectory would delete the root or the destination's own directory",
        );
      }
      if (dirs.has(parent.id)) continue;
      requireRemoval(req, meta.byId(parent.parent!)!, parent, sourceDirectories.get(parent.id));
      dirs.set(parent.id, parent);
    }
  }

  const dest =
    target.node ??
    createChild(
      req,
      target.parent ?? ensureDirectory(req, req.segments.slice(0, -1), now),
      req.segments[req.segments.length - 1]!,
      "file",
      { now },
    );
  const extents: Extent[] = meta.extents(dest.id).filter((e) => e.length > 0);
  let length = dest.length;
  const parents = new Set<number>();
  for (const { node, parent } of sources) {
    for (const extent of meta.extents(node.id)) if (extent.length > 0) extents.push(extent);
    length += node.length;
    meta.remove(node); // its blobs now belong to the destination
    parents.add(parent.id);
  }
  for (const id of parents) meta.touch(id, now);
  meta.replaceExtents(
    dest.id,
    extents.map((extent, seq) => ({ ...extent, seq })),
  );
  meta.setLength(dest.id, length, now, dest.lease, dest.leaseTime);
  const freed: string[] = [];
  for (const dir of dirs.values()) {
    freed.push(...meta.remove(dir));
    meta.touch(dir.parent!, now);
  }
  return freed;
}
