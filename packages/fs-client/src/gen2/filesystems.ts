import type { PagedAsyncIterableIterator, PageSettings } from "@azure/core-paging";
import type { OperationOptions } from "../types.js";
import type { Dfs } from "./dfs.js";
import { pagedIterator } from "./list.js";

/** A filesystem (container) of a storage account, as the account's listing shows it. */
export interface Gen2Filesystem {
  name: string;
  /** Last change of the filesystem's own properties, in ms since the epoch. */
  lastModified: number;
  etag?: string | undefined;
}

/** One page of filesystems, with the service's token for the next (undefined on the last). */
export type Gen2FilesystemPage = Gen2Filesystem[] & { continuationToken?: string | undefined };

export interface ListFilesystemsOptions extends OperationOptions {
  /** Only the filesystems whose names start with this. */
  prefix?: string | undefined;
}

/** The most filesystems one page of the account's listing holds. */
const MAX_PAGE = 5000;

/**
 * The filesystems of the account (`GET /?resource=account`, JSON, `x-ms-continuation`), by name, lazily. Listing
 * them is a right on the account (a role such as Storage Blob Data Reader), not on any filesystem.
 */
export function listFilesystems(
  dfs: Dfs,
  defaultPageSize: number,
  options: ListFilesystemsOptions = {},
): PagedAsyncIterableIterator<Gen2Filesystem, Gen2FilesystemPage, PageSettings> {
  async function* pages(settings: PageSettings = {}): AsyncIterableIterator<Gen2FilesystemPage> {
    let continuation = settings.continuationToken;
    do {
      const response = await dfs.text(null, {
        method: "GET",
        operation: "listFilesystems",
        endpoint: "account",
        params: {
          resource: "account",
          prefix: options.prefix || undefined,
          maxResults: Math.min(settings.maxPageSize ?? defaultPageSize, MAX_PAGE),
          continuation,
        },
        abortSignal: options.abortSignal,
      });
      const body = response.json<{
        filesystems?: Array<{ name: string; lastModified?: string; etag?: string }>;
      }>();
      const page = (body.filesystems ?? []).map((f) => ({
        name: f.name,
        lastModified: Date.parse(f.lastModified ?? "") || 0,
        ...(f.etag ? { etag: f.etag } : {}),
      })) as Gen2FilesystemPage;
      continuation = response.headers.get("x-ms-continuation") || undefined;
      page.continuationToken = continuation;
      if (page.length > 0 || continuation === undefined) yield page;
    } while (continuation !== undefined);
  }
  return pagedIterator(pages);
}
