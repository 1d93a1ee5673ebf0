import type { PagedAsyncIterableIterator, PageSettings } from "@azure/core-paging";
import type { FileStatusPage } from "../operations/list.js";
import { normalizePath } from "../paths.js";
import type { FileStatus, OperationOptions } from "../types.js";
import type { Dfs } from "./dfs.js";
import { fromFileTime, octalPermission } from "./status.js";

/** One entry of a DFS listing, as the service sends it (numbers and booleans as strings). */
interface WirePath {
  name: string;
  contentLength?: string;
  isDirectory?: string;
  lastModified?: string;
  etag?: string;
  owner?: string;
  group?: string;
  permissions?: string;
  expiryTime?: string;
  creationTime?: string;
}

function toStatus(entry: WirePath, parentDepth: string): FileStatus {
  const path = normalizePath(entry.name);
  const { permission, aclBit } = octalPermission(entry.permissions ?? "");
  const directory = entry.isDirectory === "true";
  const expiry = fromFileTime(entry.expiryTime);
  return {
    path,
    // Relative to the listed directory (a recursive listing's entries may be deeper than one level).
    pathSuffix: parentDepth === "/" ? path.slice(1) : path.slice(parentDepth.length + 1),
    length: directory ? 0 : Number(entry.contentLength ?? 0),
    type: directory ? "DIRECTORY" : "FILE",
    blockSize: 0,
    accessTime: 0,
    modificationTime: Date.parse(entry.lastModified ?? "") || 0,
    replication: 1,
    permission,
    aclBit,
    owner: entry.owner ?? "",
    group: entry.group ?? "",
    ...(directory ? {} : { msExpirationTime: expiry }),
    ...(entry.etag ? { etag: entry.etag } : {}),
    ...(entry.creationTime ? { creationTime: fromFileTime(entry.creationTime) } : {}),
  };
}

export interface ListPathsOptions extends OperationOptions {
  /** Everything below the directory (the service walks it), not only its entries. @default false */
  recursive?: boolean | undefined;
  /** Entries per page, at most 5,000. */
  maxResults?: number | undefined;
  /** The `x-ms-continuation` of the page before. */
  continuation?: string | undefined;
}

/**
 * List paths, one page: a directory's entries (or, `recursive`, everything below it, a directory before its
 * contents), by name. A file lists as itself. A page may be short, even empty, and still continue: the token
 * (`x-ms-continuation`) decides, undefined when done.
 */
export async function listPaths(
  dfs: Dfs,
  path: string,
  options: ListPathsOptions = {},
): Promise<FileStatusPage> {
  const directory = normalizePath(path);
  const response = await dfs.text(null, {
    method: "GET",
    operation: "listPaths",
    params: {
      resource: "filesystem",
      directory: directory === "/" ? undefined : directory.slice(1),
      recursive: options.recursive ?? false,
      maxResults: options.maxResults,
      continuation: options.continuation,
    },
    abortSignal: options.abortSignal,
  });
  const body = response.json<{ paths?: WirePath[] }>();
  const page = (body.paths ?? []).map((entry) => toStatus(entry, directory)) as FileStatusPage;
  page.continuationToken = response.headers.get("x-ms-continuation") || undefined;
  return page;
}

/**
 * A listing as Azure's paged iterator: entries lazily, one page in memory, or `byPage()` for pages and their
 * continuation tokens. Empty pages that continue are followed, not handed out.
 */
export function listLazily(
  dfs: Dfs,
  path: string,
  defaultPageSize: number,
  options: OperationOptions & { recursive?: boolean | undefined } = {},
): PagedAsyncIterableIterator<FileStatus, FileStatusPage, PageSettings> {
  async function* pages(settings: PageSettings = {}): AsyncIterableIterator<FileStatusPage> {
    let continuation = settings.continuationToken;
    do {
      const page = await listPaths(dfs, path, {
        ...options,
        maxResults: Math.min(settings.maxPageSize ?? defaultPageSize, 5000),
        continuation,
      });
      continuation = page.continuationToken;
      if (page.length > 0 || continuation === undefined) yield page;
    } while (continuation !== undefined);
  }
  return pagedIterator(pages);
}

/** Pages as Azure's paged iterator: items lazily, one page in memory, or `byPage()` for the pages themselves. */
export function pagedIterator<T, Page extends T[]>(
  pages: (settings?: PageSettings) => AsyncIterableIterator<Page>,
): PagedAsyncIterableIterator<T, Page, PageSettings> {
  async function* items(): AsyncIterableIterator<T> {
    for await (const page of pages()) yield* page;
  }
  const iterator = items();
  // Also `return()`, which core-paging's type leaves out: a `for await` that stops early ends the listing.
  const paged = {
    next: () => iterator.next(),
    return: (value?: unknown) => (iterator as AsyncGenerator<T>).return(value),
    [Symbol.asyncIterator]() {
      return this;
    },
    byPage: (settings?: PageSettings) => pages(settings),
  };
  return paged;
}
