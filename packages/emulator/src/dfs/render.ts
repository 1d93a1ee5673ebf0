import { type AclSet, type AclState, hasExtendedAcl, permTriple } from "../store/acl.js";
import type { FsNode } from "../store/metadata-store.js";
import type { PathProps } from "../store/path-state.js";
import { renderProperties } from "./params.js";

/** How Gen2 shows items: permission strings, ACL text, times, and the headers of a path (reference §2.10, §3.4). */

/** `rwxr-x---`, the group triad showing the mask when there is one, `t`/`T` for the sticky bit, `+` when extended. */
export function permissionsText(acl: AclState): string {
  const a = acl.access;
  let text = permTriple(a.user) + permTriple(a.mask ?? a.group) + permTriple(a.other);
  if (acl.sticky) text = text.slice(0, 8) + (a.other & 1 ? "t" : "T");
  return hasExtendedAcl(acl) ? `${text}+` : text;
}

/** `user::rwx,user:{id}:r-x,group::r-x,group:{id}:…,mask::…,other::---` then the same for `default:`. */
export function aclText(acl: AclState): string {
  const render = (set: AclSet, prefix: string): string[] => {
    const named = (kind: "user" | "group") =>
      set.named
        .filter((entry) => entry.kind === kind)
        .sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))
        .map((entry) => `${prefix}${kind}:${entry.id}:${permTriple(entry.perm)}`);
    return [
      `${prefix}user::${permTriple(set.user)}`,
      ...named("user"),
      `${prefix}group::${permTriple(set.group)}`,
      ...named("group"),
      ...(set.mask !== undefined ? [`${prefix}mask::${permTriple(set.mask)}`] : []),
      `${prefix}other::${permTriple(set.other)}`,
    ];
  };
  return [...render(acl.access, ""), ...(acl.defaults ? render(acl.defaults, "default:") : [])].join(",");
}

export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

/** Windows FILETIME (100 ns ticks since 1601) as a decimal string, as list paths shows times. */
export function fileTime(ms: number): string {
  return ((BigInt(ms) + 11644473600000n) * 10000n).toString();
}

/** The headers both endpoints send for a path on GET and HEAD (the union of DFS and Blob, reference §0.6). */
export function pathHeaders(
  node: FsNode,
  props: PathProps,
  options: { acl: boolean },
): Record<string, string> {
  const h = props.headers;
  const headers: Record<string, string> = {
    ETag: `"${props.etag}"`,
    "Last-Modified": httpDate(node.modified),
    "x-ms-creation-time": httpDate(node.created),
    "x-ms-resource-type": node.kind,
    "x-ms-blob-type": "BlockBlob",
    "x-ms-owner": node.owner,
    "x-ms-group": node.group,
    "x-ms-permissions": permissionsText(node.acl),
    "x-ms-lease-status": "unlocked",
    "x-ms-lease-state": "available",
    "x-ms-server-encrypted": "true",
    "Accept-Ranges": "bytes",
    "Content-Type": h.contentType ?? "application/octet-stream",
  };
  if (h.contentEncoding) headers["Content-Encoding"] = h.contentEncoding;
  if (h.contentLanguage) headers["Content-Language"] = h.contentLanguage;
  if (h.contentDisposition) headers["Content-Disposition"] = h.contentDisposition;
  if (h.cacheControl) headers["Cache-Control"] = h.cacheControl;
  if (h.contentMd5) headers["Content-MD5"] = h.contentMd5;
  if (node.expiry > 0) headers["x-ms-expiry-time"] = httpDate(node.expiry);
  if (options.acl) headers["x-ms-acl"] = aclText(node.acl);
  const meta = { ...props.metadata, ...(node.kind === "directory" ? { hdi_isfolder: "true" } : {}) };
  // Blob metadata is ASCII text; values that are not (set through DFS properties) show in x-ms-properties only.
  for (const [name, value] of Object.entries(meta))
    if (/^[\x20-\x7e]*$/.test(value)) headers[`x-ms-meta-${name}`] = value;
  if (Object.keys(props.metadata).length > 0) headers["x-ms-properties"] = renderProperties(props.metadata);
  return headers;
}
