import { escapeXml, storageErrors } from "../dfs/errors.js";
import { leaseHeadersOf } from "../dfs/lease.js";
import { httpDate, permissionsText } from "../dfs/render.js";
import type { StorageRequest } from "../dfs/request.js";
import { comparePaths, walkAfter } from "../namespace/ordered-walk.js";
import { lookup, requireAccess } from "../namespace/tree.js";
import { EXECUTE, READ } from "../store/acl.js";
import type { FsNode } from "../store/metadata-store.js";

/**
 * List Blobs (`GET /{c}?restype=container&comp=list`, reference §3.2) over the hierarchical tree. `prefix` is a
 * string prefix of the names (it may end inside a name); `delimiter=/` lists one level: files and directories as
 * `<Blob>` (a directory is the blob its `hdi_isfolder` metadata marks), and each directory also as a
 * `<BlobPrefix>` "name/" to descend into. Without a delimiter everything below is listed. Entries come in
 * pre-order with entries of a directory by name, as DFS list paths gives them [INF: the service's hierarchical
 * listing order]. Pages of `maxresults` resume at an opaque `NextMarker`. Listing needs read and traverse on
 * every directory it reads, as list paths does.
 */

const PAGE = 500;

/**
 * A listed item: its path segments, and whether it is the `<BlobPrefix>` of a directory rather than its blob. A
 * path that has only uncommitted blocks (`include=uncommittedblobs`) has no node, only when it was last staged.
 */
type Entry =
  | { node: FsNode; segments: string[]; prefix: boolean; staged?: undefined }
  | { node?: undefined; segments: string[]; prefix: false; staged: number };

function compareEntries(
  a: Pick<Entry, "segments" | "prefix">,
  b: Pick<Entry, "segments" | "prefix">,
): number {
  return comparePaths(a.segments, b.segments) || Number(a.prefix) - Number(b.prefix);
}

function markerFor(e: Entry): string {
  return Buffer.from(JSON.stringify([e.segments, e.prefix ? 1 : 0]), "utf8").toString("base64url");
}

function parseMarker(marker: string): Pick<Entry, "segments" | "prefix"> | undefined {
  try {
    const [segments, prefix] = JSON.parse(Buffer.from(marker, "base64url").toString("utf8")) as unknown[];
    if (Array.isArray(segments) && segments.every((s) => typeof s === "string" && s !== ""))
      return { segments: segments as string[], prefix: prefix === 1 };
  } catch {
    // falls through
  }
  return undefined;
}

/** Every entry matching `prefix`, in order, from `after` on (exclusive). Synchronous: one transaction's worth. */
function* entries(
  req: StorageRequest,
  prefix: string,
  delimited: boolean,
  after: Pick<Entry, "segments" | "prefix"> | undefined,
): Generator<Entry, void> {
  // The directory the prefix reaches: its whole segments; the rest filters that directory's entry names.
  const parts = prefix.split("/");
  const partial = parts.pop()!;
  // "a//b" or "/a": no name has an empty segment.
  if (parts.some((s) => s === "")) return;
  const base = parts;
  const dir = base.length === 0 ? req.top() : lookup(req, base).node;
  if (dir?.kind !== "directory") return;
  requireAccess(req, dir, READ | EXECUTE);
  // Resume inside this directory at the marker's entry, when the marker lies below it.
  let from = "";
  if (
    after &&
    after.segments.length > base.length &&
    comparePaths(after.segments.slice(0, base.length), base) === 0
  )
    from = after.segments[base.length]!;
  const start = from > partial ? from : partial;
  const emit = (e: Entry) => !after || compareEntries(e, after) > 0;
  let cursor = "";
  // The first page starts at `start` itself (childPage takes names strictly after its argument).
  const first = req.store.meta.child(dir.id, start);
  for (let page = first ? [{ name: start }] : []; ; ) {
    for (const row of page) {
      if (!row.name.startsWith(partial)) return;
      const node = req.store.meta.child(dir.id, row.name);
      if (!node) continue;
      const segments = [...base, row.name];
      const own: Entry = { node, segments, prefix: false };
      if (emit(own)) yield own;
      if (node.kind !== "directory") continue;
      if (delimited) {
        const sub: Entry = { node, segments, prefix: true };
        if (emit(sub)) yield sub;
        continue;
      }
      requireAccess(req, node, READ | EXECUTE);
      const below =
        after && comparePaths(after.segments.slice(0, segments.length), segments) === 0
          ? after.segments.slice(segments.length)
          : undefined;
      for (const item of walkAfter(req.store.meta, node, {
        recursive: true,
        ...(below?.length ? { after: below } : {}),
      })) {
        if (item.node.kind === "directory") requireAccess(req, item.node, READ | EXECUTE);
        const e: Entry = { node: item.node, segments: [...segments, ...item.relative], prefix: false };
        if (emit(e)) yield e;
      }
    }
    cursor = page.length > 0 ? page[page.length - 1]!.name : start;
    page = req.store.meta.childPage(dir.id, cursor, PAGE);
    if (page.length === 0) return;
  }
}

/**
 * With `include=uncommittedblobs`: the tree's entries merged, in the same order, with the paths that have
 * uncommitted blocks and no file yet (the blobs the service lists only then). Without a delimiter every such
 * path matching the prefix; with one, those right in the listed directory.
 */
function* withUncommitted(
  req: StorageRequest,
  prefix: string,
  delimited: boolean,
  after: Pick<Entry, "segments" | "prefix"> | undefined,
): Generator<Entry, void> {
  const parts = prefix.split("/");
  const level = parts.length;
  const pending: Entry[] = req.state
    .pathsWithUncommitted(req.top().id, prefix)
    .map(({ path, staged }) => ({ segments: path.split("/"), prefix: false as const, staged }))
    .filter((e) => (!delimited || e.segments.length === level) && (!after || compareEntries(e, after) > 0))
    .sort(compareEntries);
  let i = 0;
  for (const e of entries(req, prefix, delimited, after)) {
    while (i < pending.length && compareEntries(pending[i]!, e) < 0) yield* ifNoFile(req, pending[i++]!);
    yield e;
  }
  while (i < pending.length) yield* ifNoFile(req, pending[i++]!);
}

/** A path with uncommitted blocks is listed as such only while no item exists there. */
function* ifNoFile(req: StorageRequest, e: Entry): Generator<Entry, void> {
  if (!lookup(req, e.segments).node) yield e;
}

function blobXml(req: StorageRequest, e: Entry, include: ReadonlySet<string>): string {
  const name = `<Name>${escapeXml(e.segments.join("/"))}${e.prefix ? "/" : ""}</Name>`;
  if (e.prefix) return `<BlobPrefix>${name}</BlobPrefix>`;
  if (!e.node) return uncommittedXml(name, e.staged, include);
  const { node } = e;
  const props = req.state.props(node);
  const h = props.headers;
  const lease = leaseHeadersOf(req, node);
  const p: Array<[string, string | undefined]> = [
    ["Creation-Time", httpDate(node.created)],
    ["Last-Modified", httpDate(node.modified)],
    ["Etag", `"${props.etag}"`],
    ...(include.has("permissions")
      ? ([
          ["Owner", node.owner],
          ["Group", node.group],
          ["Permissions", permissionsText(node.acl)],
        ] as Array<[string, string]>)
      : []),
    ["ResourceType", node.kind],
    ["Content-Length", String(node.kind === "file" ? node.length : 0)],
    ["Content-Type", h.contentType ?? "application/octet-stream"],
    ["Content-Encoding", h.contentEncoding],
    ["Content-Language", h.contentLanguage],
    ["Content-MD5", h.contentMd5],
    ["Content-Disposition", h.contentDisposition],
    ["Cache-Control", h.cacheControl],
    ["BlobType", "BlockBlob"],
    ["AccessTier", "Hot"],
    ["AccessTierInferred", "true"],
    ["LeaseStatus", lease["x-ms-lease-status"]],
    ["LeaseState", lease["x-ms-lease-state"]],
    ["LeaseDuration", lease["x-ms-lease-duration"]],
    ["ServerEncrypted", "true"],
    ["Expiry-Time", node.expiry > 0 ? httpDate(node.expiry) : undefined],
  ];
  const properties = p
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `<${k}>${escapeXml(v!)}</${k}>`)
    .join("");
  const meta = { ...props.metadata, ...(node.kind === "directory" ? { hdi_isfolder: "true" } : {}) };
  const metadata = include.has("metadata")
    ? `<Metadata>${Object.entries(meta)
        .map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`)
        .join("")}</Metadata>`
    : "";
  return `<Blob>${name}<Properties>${properties}</Properties>${metadata}</Blob>`;
}

/** A blob of uncommitted blocks only: empty, no properties of its own yet, dated by its last Put Block. */
function uncommittedXml(name: string, staged: number, include: ReadonlySet<string>): string {
  const etag = `0x8D${staged.toString(16).toUpperCase().padStart(13, "0").slice(-13)}`;
  const properties = [
    ["Creation-Time", httpDate(staged)],
    ["Last-Modified", httpDate(staged)],
    ["Etag", `"${etag}"`],
    ["Content-Length", "0"],
    ["Content-Type", "application/octet-stream"],
    ["BlobType", "BlockBlob"],
    ["LeaseStatus", "unlocked"],
    ["LeaseState", "available"],
    ["ServerEncrypted", "true"],
  ]
    .map(([k, v]) => `<${k}>${escapeXml(v!)}</${k}>`)
    .join("");
  const metadata = include.has("metadata") ? "<Metadata></Metadata>" : "";
  return `<Blob>${name}<Properties>${properties}</Properties>${metadata}</Blob>`;
}

/** What `include` may name: the others (snapshots, versions, deleted, tags, copy) have nothing to show here. */
const INCLUDES = new Set([
  "uncommittedblobs",
  "metadata",
  "permissions",
  "snapshots",
  "versions",
  "deleted",
  "tags",
  "copy",
  "immutabilitypolicy",
  "legalhold",
  "deletedwithversions",
]);

export function listBlobs(req: StorageRequest, serviceEndpoint: string): void {
  const prefix = req.query.get("prefix") ?? "";
  const delimiter = req.query.get("delimiter");
  if (delimiter !== undefined && delimiter !== "/")
    throw storageErrors.invalidQuery(
      "delimiter",
      delimiter,
      "A hierarchical namespace lists with delimiter=/ only.",
    );
  const limit = req.query.integer("maxresults") ?? 5000;
  const marker = req.query.get("marker") ?? "";
  const after = marker ? parseMarker(marker) : undefined;
  if (marker && !after)
    throw storageErrors.invalidQuery("marker", marker, "The marker is not one this listing gave.");
  const include = new Set(
    (req.query.get("include") ?? "")
      .split(",")
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  );
  for (const item of include)
    if (!INCLUDES.has(item)) throw storageErrors.invalidQuery("include", item, "Unknown include value.");
  const fs = req.top();
  const list = include.has("uncommittedblobs") ? withUncommitted : entries;
  const items: string[] = [];
  let next = "";
  for (const e of list(req, prefix, delimiter === "/", after)) {
    if (items.length === limit) break;
    items.push(blobXml(req, e, include));
    next = markerFor(e);
  }
  // A next marker only when something follows the page's last entry.
  if (items.length < limit) next = "";
  else if (next && list(req, prefix, delimiter === "/", parseMarker(next)).next().done) next = "";
  const body = `<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="${escapeXml(serviceEndpoint)}" ContainerName="${escapeXml(fs.name)}">${prefix ? `<Prefix>${escapeXml(prefix)}</Prefix>` : ""}${marker ? `<Marker>${escapeXml(marker)}</Marker>` : ""}<MaxResults>${limit}</MaxResults>${delimiter ? `<Delimiter>${escapeXml(delimiter)}</Delimiter>` : ""}<Blobs>${items.join("")}</Blobs><NextMarker>${escapeXml(next)}</NextMarker></EnumerationResults>`;
  req.ctx.res.writeHead(200, {
    "Content-Type": "application/xml",
    "Content-Length": Buffer.byteLength(body),
  });
  req.ctx.res.end(body);
}
