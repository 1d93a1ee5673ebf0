import { normalizePath } from "../paths.js";
import type { FileStatus, OperationOptions } from "../types.js";
import type { WebHdfs } from "../webhdfs.js";
import { withPath } from "./status.js";

/** One LISTSTATUS page: the entries plus the token to ask for the next one (undefined when done). */
export type FileStatusPage = FileStatus[] & { continuationToken?: string | undefined };

export interface PageSettings {
  /** Continue after this token (a name): from a previous page's `continuationToken`. */
  continuationToken?: string | undefined;
  /** Entries per request. */
  maxPageSize?: number | undefined;
}

/** Azure's paging shape: iterate entries, or `byPage()` for pages with continuation tokens. */
export interface PagedAsyncIterableIterator<T, TPage, TSettings> extends AsyncIterableIterator<T> {
  byPage(settings?: TSettings): AsyncIterableIterator<TPage>;
}

/**
 * LISTSTATUS, one page: entries sorted by name, strictly after `listAfter`. A file lists as itself.
 * The service's token is the last name when the page is full, else `""`; this returns undefined for "done".
 */
export async function listStatus(
  fs: WebHdfs,
  path: string,
  options: OperationOptions & {
    listSize?: number | undefined;
    listAfter?: string | undefined;
    listBefore?: string | undefined;
  } = {},
): Promise<FileStatusPage> {
  const body = await fs.json<{
    FileStatuses: { continuationToken?: string; FileStatus: Array<Omit<FileStatus, "path">> };
  }>("LISTSTATUS", path, {
    method: "GET",
    params: { listSize: options.listSize, listAfter: options.listAfter, listBefore: options.listBefore },
    abortSignal: options.abortSignal,
  });
  const entries = body.FileStatuses.FileStatus ?? [];
  // Entries get their absolute path in place (no copy of each object: listings can be long).
  const parent = normalizePath(path);
  const prefix = parent === "/" ? "/" : `${parent}/`;
  for (const entry of entries as FileStatus[]) {
    const suffix = entry.pathSuffix;
    entry.path = !suffix
      ? parent
      : suffix.includes("/") || suffix === "." || suffix === ".."
        ? withPath(entry, path).path
        : prefix + suffix;
  }
  const page = entries as FileStatusPage;
  const token = body.FileStatuses.continuationToken;
  // Old api-versions send no token: a full page then continues after its last name.
  const next =
    token === undefined
      ? options.listSize && entries.length >= options.listSize
        ? entries.at(-1)?.pathSuffix
        : undefined
      : token;
  page.continuationToken = next && entries.length > 0 ? next : undefined;
  return page;
}

/**
 * Lists a directory lazily with at most two pages in memory, whatever the size of the directory: while the
 * caller consumes one page, the next LISTSTATUS is already on its way (the server's and the client's work
 * overlap instead of adding up).
 */
export function list(
  fs: WebHdfs,
  path: string,
  defaultPageSize: number,
  options: OperationOptions = {},
): PagedAsyncIterableIterator<FileStatus, FileStatusPage, PageSettings> {
  async function* pages(settings: PageSettings = {}): AsyncIterableIterator<FileStatusPage> {
    const listSize = settings.maxPageSize ?? defaultPageSize;
    const fetchPage = (listAfter: string | undefined) => {
      const promise = listStatus(fs, path, { listSize, listAfter, abortSignal: options.abortSignal });
      promise.catch(() => {}); // a prefetched page nobody asks for must not be an unhandled rejection
      return promise;
    };
    let next: Promise<FileStatusPage> | undefined = fetchPage(settings.continuationToken);
    while (next) {
      const page: FileStatusPage = await next;
      const token = page.continuationToken;
      next = token === undefined ? undefined : fetchPage(token);
      if (page.length > 0 || token === undefined) yield page;
    }
  }
  async function* items(): AsyncIterableIterator<FileStatus> {
    for await (const page of pages()) yield* page;
  }
  const iterator = items();
  return {
    next: () => iterator.next(),
    return: (value?: unknown) =>
      iterator.return?.(value) ?? Promise.resolve({ done: true, value: undefined }),
    [Symbol.asyncIterator]() {
      return this;
    },
    byPage: (settings?: PageSettings) => pages(settings),
  };
}
