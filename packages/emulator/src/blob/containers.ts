import { escapeXml, storageErrors } from "../dfs/errors.js";
import {
  createFilesystem,
  deleteFilesystem,
  listFilesystems,
  setFilesystemMetadata,
} from "../dfs/filesystems.js";
import { leaseHeadersOf, leasePath, requireFilesystemLease } from "../dfs/lease.js";
import { parseMetadata } from "../dfs/params.js";
import { httpDate } from "../dfs/render.js";
import { requireAccountRight, requireFilesystem, type StorageRequest } from "../dfs/request.js";
import { sendEmpty } from "../http/respond.js";
import type { FsNode } from "../store/metadata-store.js";

/**
 * Containers: the Blob face of filesystems (reference §3.1, §3.2), which the DataLake SDKs use for filesystem
 * create, delete, exists, properties, metadata and listing. The same functions as the DFS forms, so both see
 * one set of filesystems with one set of metadata.
 */

function containerHeaders(req: StorageRequest, node: FsNode): Record<string, string> {
  const props = req.state.props(node);
  const headers: Record<string, string> = {
    ETag: `"${props.etag}"`,
    "Last-Modified": httpDate(node.modified),
    ...leaseHeadersOf(req, node),
    "x-ms-has-immutability-policy": "false",
    "x-ms-has-legal-hold": "false",
    "x-ms-default-encryption-scope": "$account-encryption-key",
    "x-ms-deny-encryption-scope-override": "false",
  };
  for (const [name, value] of Object.entries(props.metadata))
    if (/^[\x20-\x7e]*$/.test(value)) headers[`x-ms-meta-${name}`] = value;
  return headers;
}

/** `?restype=container` (and `&comp=metadata`) on `/{container}`; `comp=list` is list-blobs.ts. */
export async function containerOperation(req: StorageRequest, comp: string | undefined): Promise<void> {
  const res = req.ctx.res;
  const method = req.ctx.method;
  if (comp === "metadata" && method === "PUT") {
    const { node } = await setFilesystemMetadata(req, parseMetadata(req.headers));
    const headers = containerHeaders(req, node);
    sendEmpty(res, 200, { ETag: headers.ETag!, "Last-Modified": headers["Last-Modified"]! });
    return;
  }
  if (comp === "lease" && method === "PUT") return leasePath(req);
  if (comp === "metadata" && (method === "GET" || method === "HEAD")) comp = undefined;
  if (comp !== undefined) throw storageErrors.notServed(`comp=${comp} on containers`);
  if (method === "PUT") {
    if (req.headers["x-ms-blob-public-access"] !== undefined)
      throw storageErrors.invalidHeader(
        "x-ms-blob-public-access",
        String(req.headers["x-ms-blob-public-access"]),
        "Public access is not allowed on this storage account (bearer access only).",
      );
    const node = await createFilesystem(req, parseMetadata(req.headers));
    const headers = containerHeaders(req, node);
    sendEmpty(res, 201, { ETag: headers.ETag!, "Last-Modified": headers["Last-Modified"]! });
  } else if (method === "GET" || method === "HEAD") {
    requireAccountRight(req);
    const node = requireFilesystem(req);
    requireFilesystemLease(req, node, false);
    sendEmpty(res, 200, containerHeaders(req, node));
  } else if (method === "DELETE") {
    await deleteFilesystem(req);
    sendEmpty(res, 202);
  } else {
    throw storageErrors.unsupportedVerb();
  }
}

/** `GET /?comp=list`: containers as XML, in name order, paged by `marker`/`NextMarker` (`/{account}/{name}`). */
export function listContainers(req: StorageRequest, serviceEndpoint: string): void {
  const prefix = req.query.get("prefix") ?? "";
  const marker = req.query.get("marker") ?? "";
  const limit = req.query.integer("maxresults") ?? 5000;
  const include = (req.query.get("include") ?? "").split(",").map((item) => item.trim().toLowerCase());
  const after = marker.startsWith(`/${req.account.name}/`)
    ? marker.slice(req.account.name.length + 2)
    : marker;
  // Markers are opaque to clients: ours names the last container of the previous page.
  const { nodes: page, more } = listFilesystems(req, { prefix, after, limit });
  const nextMarker = more ? `/${req.account.name}/${page.at(-1)!.name}` : "";
  const containers = page
    .map((node) => {
      const props = req.state.props(node);
      const metadata = include.includes("metadata")
        ? `<Metadata>${Object.entries(props.metadata)
            .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
            .join("")}</Metadata>`
        : "";
      return `<Container><Name>${escapeXml(node.name)}</Name><Properties><Last-Modified>${httpDate(node.modified)}</Last-Modified><Etag>"${props.etag}"</Etag>${leaseXml(req, node)}<DefaultEncryptionScope>$account-encryption-key</DefaultEncryptionScope><DenyEncryptionScopeOverride>false</DenyEncryptionScopeOverride><HasImmutabilityPolicy>false</HasImmutabilityPolicy><HasLegalHold>false</HasLegalHold><ImmutableStorageWithVersioningEnabled>false</ImmutableStorageWithVersioningEnabled></Properties>${metadata}</Container>`;
    })
    .join("");
  const body = `<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="${escapeXml(serviceEndpoint)}">${prefix ? `<Prefix>${escapeXml(prefix)}</Prefix>` : ""}${marker ? `<Marker>${escapeXml(marker)}</Marker>` : ""}<MaxResults>${limit}</MaxResults><Containers>${containers}</Containers><NextMarker>${escapeXml(nextMarker)}</NextMarker></EnumerationResults>`;
  req.ctx.res.writeHead(200, {
    "Content-Type": "application/xml",
    "Content-Length": Buffer.byteLength(body),
  });
  req.ctx.res.end(body);
}

/** A listed container's lease, as `<LeaseStatus><LeaseState>[<LeaseDuration>]`. */
function leaseXml(req: StorageRequest, node: FsNode): string {
  const h = leaseHeadersOf(req, node);
  const duration = h["x-ms-lease-duration"]
    ? `<LeaseDuration>${h["x-ms-lease-duration"]}</LeaseDuration>`
    : "";
  return `<LeaseStatus>${h["x-ms-lease-status"]}</LeaseStatus><LeaseState>${h["x-ms-lease-state"]}</LeaseState>${duration}`;
}
