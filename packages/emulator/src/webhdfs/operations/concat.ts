import { readSmallBody, sendEmpty } from "../../http/respond.js";
import { EXECUTE, READ, WRITE } from "../../store/acl.js";
import type { Extent, FsNode } from "../../store/metadata-store.js";
import type { FsRequest, Operation } from "../fs-request.js";
import { normaliseDecodedPath, PathError, pathString } from "../parse-request.js";
import { remoteErrors } from "../remote-exception.js";
import { createChild, ensureDirectory, lookup, requireAccess } from "../tree.js";
import { requiredParam } from "./params.js";

/** Largest MSCONCAT body: a few thousand source paths. */
const MAX_SOURCES_BODY = 8 * 1024 * 1024;

/**
 * MSCONCAT (§4.10): sources from a JSON body `{"sources":[…]}` or the legacy `sources=a,b`. Concatenation
 * moves extents (no bytes are copied), so a 1 GiB upload's segments join in one metadata transaction.
 */
export const msConcat: Operation = {
  method: "POST",
  async run(req) {
    const deleteSourceDirectory = req.params.boolean("deleteSourceDirectory", false);
    const sources = parseSourcesBody(req, await readSmallBody(req.ctx.req, MAX_SOURCES_BODY));
    await concatenate(req, sources, deleteSourceDirectory);
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

function parseSourcesBody(req: FsRequest, body: string): string[] {
  const text = body.trim();
  if (text.startsWith("{")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw remoteErrors.illegalArgument(req.op, "The body is not valid JSON");
    }
    const sources = (parsed as { sources?: unknown }).sources;
    if (!Array.isArray(sources) || !sources.every((s) => typeof s === "string")) {
      throw remoteErrors.illegalArgument(req.op, 'The body must be {"sources":["/path",…]}');
    }
    return sources as string[];
  }
  if (!text.startsWith("sources="))
    throw remoteErrors.illegalArgument(req.op, 'The body must be {"sources":[…]} or sources=a,b');
  return text
    .slice("sources=".length)
    .split(",")
    .filter((s) => s !== "");
}

async function concatenate(
  req: FsRequest,
  rawSources: string[],
  deleteSourceDirectory: boolean,
): Promise<void> {
  if (rawSources.length === 0) throw remoteErrors.illegalArgument(req.op, "No sources were given");
  let sourcePaths: string[][];
  try {
    sourcePaths = rawSources.map((s) => normaliseDecodedPath(s));
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

  // Lock every file involved so no APPEND writes into an extent while it changes owner.
  const preview = [req.segments, ...sourcePaths]
    .map((segments) => lookup(req, segments).node?.id)
    .filter((id) => id !== undefined);
  const release = await req.store.locks.acquireAll(preview);
  let freed: string[] = [];
  try {
    await req.store.meta.commit(() => {
      freed = concatInTree(req, sourcePaths, deleteSourceDirectory);
    });
  } finally {
    release();
  }
  await req.store.blobs.remove(freed);
}

function concatInTree(req: FsRequest, sourcePaths: string[][], deleteSourceDirectory: boolean): string[] {
  const { meta } = req.store;
  const now = Date.now();
  const sources = sourcePaths.map((segments) => {
    const found = lookup(req, segments);
    if (!found.node) throw remoteErrors.notFound(pathString(segments));
    if (found.node.kind !== "file")
      throw remoteErrors.illegalArgument(req.op, `The source ${pathString(segments)} is not a file`);
    requireAccess(req, found.node, READ);
    requireAccess(req, found.parent!, WRITE | EXECUTE);
    return { node: found.node, parent: found.parent! };
  });
  const target = lookup(req, req.segments);
  if (target.node?.kind === "directory")
    throw remoteErrors.illegalArgument(req.op, `The destination ${req.path} is a directory`);
  if (target.node) requireAccess(req, target.node, WRITE);

  const sourceDirs = new Map<number, FsNode>();
  if (deleteSourceDirectory) {
    for (const [i, { parent }] of sources.entries()) {
      const dirPath = sourcePaths[i]!.slice(0, -1);
      if (dirPath.length === 0 || dirPath.every((name, j) => req.segments[j] === name)) {
        throw remoteErrors.illegalArgument(
          req.op,
          "deleteSourceDirectory would delete the root or the destination's own directory",
        );
      }
      sourceDirs.set(parent.id, parent);
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
  for (const { node } of sources) {
    for (const extent of meta.extents(node.id)) if (extent.length > 0) extents.push(extent);
    length += node.length;
    meta.replaceExtents(node.id, []); // the blobs now belong to the destination
    meta.deleteSubtree(node.id);
    meta.touch(node.parent!, now);
  }
  meta.replaceExtents(
    dest.id,
    extents.map((extent, seq) => ({ ...extent, seq })),
  );
  meta.setLength(dest.id, length, now, dest.lease, dest.leaseTime);
  const freed: string[] = [];
  for (const dir of sourceDirs.values()) {
    freed.push(...meta.deleteSubtree(dir.id));
    meta.touch(dir.parent!, now);
  }
  return freed;
}
