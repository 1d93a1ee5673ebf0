import { createHash } from "node:crypto";
import { contentHeadersOf } from "../dfs/create-path.js";
import { escapeXml, StorageError, storageErrors } from "../dfs/errors.js";
import { header, parseMetadata } from "../dfs/params.js";
import { httpDate } from "../dfs/render.js";
import { requireFilesystem, type StorageRequest } from "../dfs/request.js";
import { readSmallBody, sendEmpty } from "../http/respond.js";
import { lookup, requireAccess } from "../namespace/tree.js";
import { READ } from "../store/acl.js";
import type { FsNode } from "../store/metadata-store.js";
import { precheckWrite, receiveBody, replaceContent } from "./write-file.js";

/**
 * Put Blob, Put Block, Put Block List and Get Block List (reference §3): what tools that upload through the blob
 * endpoint (AzCopy, the Blob SDKs' `uploadData`/`stageBlock`/`commitBlockList`) send to a hierarchical account.
 * The file is the DFS file. Uncommitted blocks wait beside the namespace, keyed by filesystem and path (the file
 * may not exist yet); Put Block List makes the listed blocks the file's content in one transaction, each listing
 * of a block one extent (a block listed twice is two extents of one blob), and discards the other uncommitted
 * blocks, as the service does. Put Blob and deleting the path discard them too; a rename takes them along; they
 * expire a configured time after the last Put Block (block-expiry.ts).
 */

/** The service's limits: a block, a Put Blob body, blocks per list and uncommitted blocks per blob. */
const MAX_BLOCK_BYTES = 4000 * 1024 * 1024;
const MAX_PUT_BLOB_BYTES = 5000 * 1024 * 1024;
const MAX_BLOCKS_IN_LIST = 50_000;
const MAX_UNCOMMITTED = 100_000;
/** A list of 50 000 base64 ids of 64 bytes each, with its XML. */
const MAX_BLOCK_LIST_BYTES = 8 * 1024 * 1024;

const invalidBlockList = (why: string) =>
  new StorageError(400, "InvalidBlockList", `The specified block list is invalid. ${why}`);

/** `blockid`: base64 of at most 64 bytes. */
function blockId(req: StorageRequest): string {
  const id = req.query.get("blockid");
  if (id === undefined) throw storageErrors.missingQuery("blockid");
  const bytes = Buffer.from(id, "base64");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(id) || id.length % 4 !== 0 || bytes.length === 0 || bytes.length > 64)
    throw storageErrors.invalidQuery("blockid", id, "A block id is the base64 of 1 to 64 bytes.");
  return id;
}

/** `PUT /{c}/{path}` with `x-ms-blob-type: BlockBlob`: the body becomes the whole file. */
export async function putBlob(req: StorageRequest): Promise<void> {
  const type = header(req.headers, "x-ms-blob-type")!;
  if (type !== "BlockBlob")
    throw storageErrors.invalidHeader(
      "x-ms-blob-type",
      type,
      "A hierarchical namespace account holds block blobs only.",
    );
  const headers = contentHeadersOf(req, "x-ms-blob-");
  const metadata = parseMetadata(req.headers);
  const fs = requireFilesystem(req);
  precheckWrite(req);
  const body = await receiveBody(req, MAX_PUT_BLOB_BYTES, "5000 MiB per Put Blob");
  // What the transaction frees is freed only once it is durable; if it fails, only the new blob goes.
  let done: ReturnType<typeof replaceContent>;
  try {
    done = await req.store.meta.commit(() => {
      if (requireFilesystem(req).id !== fs.id) throw storageErrors.filesystemNotFound();
      const replaced = replaceContent(req, {
        extents: [{ blob: body.blob, length: body.length }],
        headers,
        metadata,
      });
      // A Put Blob discards the path's uncommitted blocks, as the service does.
      return { ...replaced, freed: [...replaced.freed, ...req.state.takeUncommitted(fs.id, req.path)] };
    });
  } catch (err) {
    await req.store.blobs.remove([body.blob]);
    throw err;
  }
  await req.store.blobs.remove(body.length > 0 ? done.freed : [...done.freed, body.blob]);
  const node = done.node;
  sendCreated(req, node, { "Content-MD5": body.md5 });
}

/** `PUT ?comp=block&blockid=…`: stages a block of the path, invisible until a Put Block List names it. */
export async function putBlock(req: StorageRequest): Promise<void> {
  const id = blockId(req);
  if (header(req.headers, "content-length") === "0")
    throw storageErrors.invalidHeader("Content-Length", "0", "A block holds at least one byte.");
  const fs = requireFilesystem(req);
  precheckWrite(req);
  if (req.state.uncommittedCount(fs.id, req.path) >= MAX_UNCOMMITTED)
    throw invalidBlockList(`A blob holds at most ${MAX_UNCOMMITTED} uncommitted blocks.`);
  const body = await receiveBody(req, MAX_BLOCK_BYTES, "4000 MiB per block");
  let replaced: string | undefined;
  try {
    if (body.length === 0)
      throw storageErrors.invalidHeader("Content-Length", "0", "A block holds at least one byte.");
    replaced = await req.store.meta.commit(() => {
      // The filesystem may have gone (or come back) meanwhile: the block belongs to the one that was checked.
      if (requireFilesystem(req).id !== fs.id) throw storageErrors.filesystemNotFound();
      return req.state.putBlock(fs.id, req.path, { id, blob: body.blob, length: body.length }, Date.now());
    });
  } catch (err) {
    await req.store.blobs.remove([body.blob]);
    throw err;
  }
  if (replaced) await req.store.blobs.remove([replaced]);
  sendEmpty(req.ctx.res, 201, { "Content-MD5": body.md5, "x-ms-request-server-encrypted": "true" });
}

type ListEntry = { kind: "Latest" | "Committed" | "Uncommitted"; id: string };

function parseBlockList(body: string): ListEntry[] {
  const doc = /^\s*(?:<\?xml[^?]*\?>)?\s*<BlockList>([\s\S]*)<\/BlockList>\s*$/.exec(
    body.replace(/^\uFEFF/, ""),
  );
  if (!doc) throw storageErrors.invalidInput("The body must be a <BlockList> element.");
  const entries: ListEntry[] = [];
  const rest = doc[1]!.replace(/<(Latest|Committed|Uncommitted)>([^<]*)<\/\1>/g, (_all, kind, id) => {
    entries.push({ kind, id: id.trim() });
    return "";
  });
  if (rest.trim() !== "")
    throw storageErrors.invalidInput(
      "A <BlockList> holds only <Latest>, <Committed> and <Uncommitted> elements.",
    );
  if (entries.length > MAX_BLOCKS_IN_LIST)
    throw invalidBlockList(`A blob holds at most ${MAX_BLOCKS_IN_LIST} committed blocks.`);
  return entries;
}

/**
 * The file's committed blocks in order (a block listed twice appears twice). Put Block List's ids name the
 * extents it made; extents written otherwise (DFS flushes, Put Blob, and those after the listed ones) are blocks
 * too, as on the service, under ids derived from their data's blob: stable, so a later Put Block List can keep
 * them (`<Committed>`), e.g. to append to a file written through DFS.
 */
function committedList(req: StorageRequest, node: FsNode | undefined) {
  if (node?.kind !== "file") return [];
  const extents = req.store.meta.extents(node.id);
  const listed = req.state.blockList(node.id) ?? [];
  // Flushes and appends only add extents after the listed ones; anything else means the list is stale.
  const named =
    listed.length <= extents.length && listed.every((b, i) => b.length === extents[i]!.length) ? listed : [];
  return extents.map((e, i) => ({
    id: named[i]?.id ?? extentBlockId(e.blob),
    blob: e.blob,
    length: e.length,
  }));
}

/** The block id of an extent no Put Block List named: base64 of 24 bytes of its blob's hash. */
function extentBlockId(blob: string): string {
  return createHash("sha256").update(`adl-extent:${blob}`).digest().subarray(0, 24).toString("base64");
}

/** The file's committed blocks by id. */
function committedBlocks(req: StorageRequest, node: FsNode | undefined) {
  return new Map(committedList(req, node).map((b) => [b.id, { blob: b.blob, length: b.length }]));
}

/** `PUT ?comp=blocklist`: the listed blocks, in order, become the file. */
export async function putBlockList(req: StorageRequest): Promise<void> {
  const headers = contentHeadersOf(req, "x-ms-blob-");
  const metadata = parseMetadata(req.headers);
  const fs = requireFilesystem(req);
  precheckWrite(req);
  const entries = parseBlockList(await readSmallBody(req.ctx.req, MAX_BLOCK_LIST_BYTES));
  const { node, freed } = await req.store.meta.commit(() => {
    if (requireFilesystem(req).id !== fs.id) throw storageErrors.filesystemNotFound();
    const existing = lookup(req, req.segments).node;
    const committed = committedBlocks(req, existing);
    const uncommitted = new Map(req.state.uncommittedBlocks(fs.id, req.path).map((b) => [b.id, b]));
    const used = new Set<string>();
    const chosen = entries.map(({ kind, id }) => {
      const block =
        kind === "Committed"
          ? committed.get(id)
          : kind === "Uncommitted"
            ? uncommitted.get(id)
            : (uncommitted.get(id) ?? committed.get(id));
      if (!block)
        throw invalidBlockList(`No ${kind === "Latest" ? "" : `${kind.toLowerCase()} `}block ${id}.`);
      // A block listed more than once is that many extents reading the same blob (never written again).
      used.add(block.blob);
      return { id, blob: block.blob, length: block.length };
    });
    const done = replaceContent(req, {
      extents: chosen,
      headers,
      metadata,
      blockList: chosen.map(({ id, length }) => ({ id, length })),
    });
    const dropped = req.state.takeUncommitted(fs.id, req.path);
    return { node: done.node, freed: [...done.freed, ...dropped].filter((b) => !used.has(b)) };
  });
  await req.store.blobs.remove(freed);
  sendCreated(req, node, {});
}

/** `GET ?comp=blocklist&blocklisttype=committed|uncommitted|all`. */
export function getBlockList(req: StorageRequest): void {
  const type = (req.query.get("blocklisttype") ?? "committed").toLowerCase();
  if (!["committed", "uncommitted", "all"].includes(type))
    throw storageErrors.invalidQuery("blocklisttype", type, "committed, uncommitted or all.");
  const fs = requireFilesystem(req);
  const node = req.segments.length === 0 ? undefined : lookup(req, req.segments).node;
  if (node) requireAccess(req, node, READ);
  const pending = req.state.uncommittedBlocks(fs.id, req.path);
  if (!node && pending.length === 0) throw storageErrors.pathNotFound();
  if (node && node.kind !== "file") throw storageErrors.pathConflict();
  const render = (blocks: Array<{ id: string; length: number }>) =>
    blocks.map((b) => `<Block><Name>${escapeXml(b.id)}</Name><Size>${b.length}</Size></Block>`).join("");
  const committed = committedList(req, node);
  const parts = [
    type !== "uncommitted" ? `<CommittedBlocks>${render(committed)}</CommittedBlocks>` : "",
    type !== "committed" ? `<UncommittedBlocks>${render(pending)}</UncommittedBlocks>` : "",
  ];
  const body = `<?xml version="1.0" encoding="utf-8"?><BlockList>${parts.join("")}</BlockList>`;
  const headers: Record<string, string | number> = {
    "Content-Type": "application/xml",
    "Content-Length": Buffer.byteLength(body),
    "x-ms-blob-content-length": node?.length ?? 0,
  };
  if (node) {
    headers.ETag = `"${req.state.props(node).etag}"`;
    headers["Last-Modified"] = httpDate(node.modified);
  }
  req.ctx.res.writeHead(200, headers);
  req.ctx.res.end(body);
}

function sendCreated(req: StorageRequest, node: FsNode, extra: Record<string, string>): void {
  sendEmpty(req.ctx.res, 201, {
    ETag: `"${req.state.props(node).etag}"`,
    "Last-Modified": httpDate(node.modified),
    "x-ms-request-server-encrypted": "true",
    ...extra,
  });
}
