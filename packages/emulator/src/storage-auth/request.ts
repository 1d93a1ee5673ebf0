/**
 * The parts of an HTTP request that Shared Key and SAS look at, read once: the raw path (as sent, still
 * percent-encoded: Shared Key signs it so), the query parameters (raw and decoded), the headers, and the
 * filesystem/path the request addresses (decoded: SAS signs that).
 */

/** What the data plane hands over for one request. */
export interface StorageRequest {
  /** Upper-case HTTP method as received (`X-Http-Method-Override` is NOT applied: ABFS signs the real verb). */
  readonly method: string;
  /** Path and query exactly as received on the wire (Node's `req.url`): still percent-encoded. */
  readonly rawUrl: string;
  /** Node's `req.headers` (lower-case names; repeated headers as arrays or comma-joined). */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The peer address (`req.socket.remoteAddress`); `::ffff:a.b.c.d` is read as `a.b.c.d`. */
  readonly clientIp: string;
  /** True when the request came over TLS. */
  readonly secure: boolean;
  /** Which API the data plane routed the request to; decides nothing here but error wording. */
  readonly endpoint: "blob" | "dfs";
  /** True for `host:port/{account}/{fs}/…` URLs: the first path segment is the account, not a filesystem. */
  readonly pathStyle: boolean;
}

/** A filesystem and a path in it, decoded and with `.`/`..` resolved; `path` "" is the root or "none". */
export interface StorageTarget {
  readonly filesystem?: string;
  readonly path: string;
}

export interface QueryParam {
  readonly rawName: string;
  /** Undefined for a bare `?flag` (no `=`). */
  readonly rawValue: string | undefined;
  readonly name: string;
  readonly value: string;
}

export interface ParsedRequest {
  readonly request: StorageRequest;
  /** Raw path as sent; "/" when empty. */
  readonly rawPath: string;
  readonly query: readonly QueryParam[];
  /** Lower-case header name → value (repeats joined with ","). */
  readonly headers: ReadonlyMap<string, string>;
  /** The decoded path segments after the account (path style), without empty segments, dots kept. */
  readonly segments: readonly string[];
  readonly target: StorageTarget;
}

/** Percent-decoding that never throws: a malformed escape is kept as sent. `+` is not a space here. */
export function safeDecode(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export function parseQuery(rawQuery: string): QueryParam[] {
  if (rawQuery === "") return [];
  const params: QueryParam[] = [];
  for (const part of rawQuery.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const rawName = eq < 0 ? part : part.slice(0, eq);
    const rawValue = eq < 0 ? undefined : part.slice(eq + 1);
    params.push({ rawName, rawValue, name: safeDecode(rawName), value: safeDecode(rawValue ?? "") });
  }
  return params;
}

/** The last value of a query parameter, by exact (case-sensitive) name, as the SAS fields are read. */
export function queryValue(query: readonly QueryParam[], name: string): string | undefined {
  let found: string | undefined;
  for (const p of query) if (p.name === name) found = p.value;
  return found;
}

function headerMap(headers: StorageRequest["headers"]): Map<string, string> {
  const map = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const joined = typeof value === "string" ? value : value.join(",");
    const key = name.toLowerCase();
    const prior = map.get(key);
    map.set(key, prior === undefined ? joined : `${prior},${joined}`);
  }
  return map;
}

/** Resolves `.` and `..` as the service does: an extra `..` stays at the root rather than failing. */
export function resolveDots(segments: readonly string[]): string[] {
  const out: string[] = [];
  for (const s of segments) {
    if (s === ".") continue;
    if (s === "..") out.pop();
    else out.push(s);
  }
  return out;
}

/** Splits a decoded path into its non-empty segments (`%2F` has already become `/`). */
export function pathSegments(decoded: string): string[] {
  return decoded.split("/").filter((s) => s !== "");
}

export function parseRequest(request: StorageRequest): ParsedRequest {
  const q = request.rawUrl.indexOf("?");
  const rawPathPart = q < 0 ? request.rawUrl : request.rawUrl.slice(0, q);
  const rawPath = rawPathPart === "" ? "/" : rawPathPart;
  const query = parseQuery(q < 0 ? "" : request.rawUrl.slice(q + 1));
  const rawSegments = rawPath.split("/").slice(1);
  if (request.pathStyle) rawSegments.shift();
  const filesystemRaw = rawSegments.shift();
  const filesystem = filesystemRaw ? safeDecode(filesystemRaw) : undefined;
  const segments = pathSegments(rawSegments.map(safeDecode).join("/"));
  return {
    request,
    rawPath,
    query,
    headers: headerMap(request.headers),
    segments,
    target: {
      ...(filesystem ? { filesystem } : {}),
      path: resolveDots(segments).join("/"),
    },
  };
}

/** The IPv4 address a peer connected from, or undefined when it is IPv6 (SAS `sip` ranges are IPv4). */
export function ipv4Of(clientIp: string): string | undefined {
  const ip = clientIp.startsWith("::ffff:") ? clientIp.slice(7) : clientIp;
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(ip) ? ip : undefined;
}
