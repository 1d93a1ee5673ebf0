import { lstat, opendir } from "node:fs/promises";
import path from "node:path";
import type { FsBackend } from "../backend.js";
import type { FsClient } from "../client.js";
import { backendOf } from "../client-base.js";
import type { Gen2FsClient } from "../gen2/client.js";
import { invalidArgument } from "../options.js";
import { joinPath, normalizePath } from "../paths.js";

/** A client of either protocol. */
export type CopyClient = FsClient | Gen2FsClient;

/** Where a copy reads or writes: a local path, or a path in a client's filesystem. */
export type CopyEndpoint = string | { client: CopyClient; path: string };

export type Side =
  | { kind: "local"; root: string }
  | { kind: "gen1"; client: FsClient; backend: FsBackend; root: string }
  | { kind: "gen2"; client: Gen2FsClient; backend: FsBackend; root: string };

export type RemoteSide = Exclude<Side, { kind: "local" }>;

/** A file's identity at one moment: what tells whether it changed. */
export interface Version {
  length: number;
  modificationTime: number;
  etag?: string | undefined;
}

export interface Entry extends Version {
  /** Full path on its side (local: an OS path; remote: `/a/b`). */
  path: string;
  type: "FILE" | "DIRECTORY";
  /** Remote files: expiry in ms since the epoch, 0 or absent for never. */
  expiry?: number | undefined;
}

export function resolveSide(endpoint: CopyEndpoint, argument: string): Side {
  if (typeof endpoint === "string") {
    if (!endpoint) throw invalidArgument(argument, "must be a local path or { client, path }");
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint))
      throw invalidArgument(
        argument,
        `'${endpoint}' is a URI: open it with openFileSystem() and pass { client, path }`,
      );
    return { kind: "local", root: path.resolve(endpoint) };
  }
  if (!endpoint || typeof endpoint !== "object" || typeof endpoint.path !== "string")
    throw invalidArgument(argument, "must be a local path or { client, path }");
  const client = endpoint.client as CopyClient | undefined;
  const protocol = client?.protocol;
  if (protocol !== "gen1" && protocol !== "gen2")
    throw invalidArgument(argument, "has no client of @adlkit/fs-client (FsClient or Gen2FsClient)");
  const root = normalizePath(endpoint.path);
  const backend = backendOf(client as CopyClient);
  return protocol === "gen1"
    ? { kind: "gen1", client: client as FsClient, backend, root }
    : { kind: "gen2", client: client as Gen2FsClient, backend, root };
}

/** How a report names a side: the filesystem's URL and path, or the local path. */
export function describeSide(side: Side): string {
  return side.kind === "local" ? side.root : `${side.client.url.replace(/\/$/, "")}${side.root}`;
}

/** A path below a side's root, from a relative path with `/` separators (`""` is the root itself). */
export function childOf(side: Side, root: string, rel: string): string {
  if (!rel) return root;
  return side.kind === "local" ? path.join(root, ...rel.split("/")) : joinPath(root, rel);
}

export function parentOf(side: Side, p: string): string {
  return side.kind === "local" ? path.dirname(p) : normalizePath(p.replace(/\/[^/]*$/, "") || "/");
}

export function nameOf(side: Side, p: string): string {
  return side.kind === "local" ? path.basename(p) : (p.split("/").pop() ?? "");
}

/** Status of a path, or undefined when nothing is there. */
export async function statOf(side: Side, p: string, signal?: AbortSignal): Promise<Entry | undefined> {
  if (side.kind === "local") {
    const info = await lstat(p).catch((err: NodeJS.ErrnoException) => {
      if (err.code === "ENOENT") return undefined;
      throw err;
    });
    if (!info) return undefined;
    if (!info.isFile() && !info.isDirectory())
      throw invalidArgument("source", `${p} is neither a file nor a directory (links are not followed)`);
    return {
      path: p,
      type: info.isDirectory() ? "DIRECTORY" : "FILE",
      length: info.isFile() ? info.size : 0,
      modificationTime: info.mtimeMs,
    };
  }
  const status = await side.backend.tryGetStatus(p, { abortSignal: signal });
  if (!status) return undefined;
  return {
    path: normalizePath(status.path || p),
    type: status.type,
    length: status.length,
    modificationTime: status.modificationTime,
    etag: status.etag,
    expiry: status.msExpirationTime,
  };
}

export function sameVersion(side: Side, a: Version, b: Version): boolean {
  if (a.length !== b.length) return false;
  if (side.kind === "gen2" && a.etag && b.etag) return a.etag === b.etag;
  return a.modificationTime === b.modificationTime;
}

/** Names a copy writes for itself (staging files, segment directories): never copied as data. */
export const OWN_NAME =
  /\.adlkit-(copy\.[0-9a-f]{16}(\.segments)?|upload\.json|download\.json|partial|upload\.[0-9a-f]{16})$/;

/** Everything below `root`, a directory before its contents, with its path relative to `root`. */
export async function* walk(
  side: Side,
  root: string,
  signal?: AbortSignal,
): AsyncGenerator<(Entry & { rel: string }) | LocalOther> {
  if (side.kind === "local") {
    yield* walkLocal(root, "");
    return;
  }
  const prefix = root === "/" ? "/" : `${root}/`;
  for await (const status of side.client.walk(root, { abortSignal: signal })) {
    const rel = status.path.slice(prefix.length);
    // Also what lies inside a leftover segment directory.
    if (rel.split("/").some((name) => OWN_NAME.test(name))) continue;
    yield {
      rel,
      path: status.path,
      type: status.type,
      length: status.length,
      modificationTime: status.modificationTime,
      etag: status.etag,
      expiry: status.msExpirationTime,
    };
  }
}

/** A local symbolic link, socket, device...: not copied (links are not followed), and reported. */
export interface LocalOther {
  rel: string;
  path: string;
  type: "OTHER";
  length: 0;
  modificationTime: 0;
}

async function* walkLocal(root: string, rel: string): AsyncGenerator<(Entry & { rel: string }) | LocalOther> {
  const dir = await opendir(rel ? path.join(root, ...rel.split("/")) : root);
  for await (const item of dir) {
    const child = rel ? `${rel}/${item.name}` : item.name;
    if (OWN_NAME.test(item.name)) continue;
    const full = path.join(root, ...child.split("/"));
    if (item.isDirectory()) {
      yield { rel: child, path: full, type: "DIRECTORY", length: 0, modificationTime: 0 };
      yield* walkLocal(root, child);
    } else if (item.isFile()) {
      const info = await lstat(full);
      yield { rel: child, path: full, type: "FILE", length: info.size, modificationTime: info.mtimeMs };
    } else yield { rel: child, path: full, type: "OTHER", length: 0, modificationTime: 0 };
  }
}
