import { letRequestsOut } from "@adlkit/core";
import type { PagedAsyncIterableIterator, PageSettings } from "@azure/core-paging";
import { normalizePath } from "../paths.js";
import type { FileStatus, OperationOptions } from "../types.js";
import type { WebHdfs } from "../webhdfs.js";
import { withPath } from "./status.js";

/** One LISTSTATUS page: the entries plus the token to ask for the next one (undefined when done). */
export type FileStatusPage = FileStatus[] & { continuationToken?: string | undefined };

/**
 * Azure's paging shape, `@azure/core-paging`'s types: iterate entries, or `byPage()` for pages; a page's
 * `continuationToken` (a name) continues after it, `maxPageSize` sets the entries per request.
 */
export type { PagedAsyncIterableIterator, PageSettings };

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
    /**
     * Called as soon as the next page's token is known, from the head of the body when the service sends the
     * token first (it does: its LISTSTATUS bodies start with it), before the rest of the page has arrived and been parsed. Not called when the
     * head has another shape; the page's own `continuationToken` is then the only answer.
     */
    onEarlyToken?: ((token: string | undefined) => void) | undefined;
  } = {},
): Promise<FileStatusPage> {
  const { onEarlyToken } = options;
  const body = await fs.json<{
    FileStatuses: { continuationToken?: string; FileStatus: Array<Omit<FileStatus, "path">> };
  }>("LISTSTATUS", path, {
    method: "GET",
    params: { listSize: options.listSize, listAfter: options.listAfter, listBefore: options.listBefore },
    abortSignal: options.abortSignal,
    ...(onEarlyToken
      ? {
          peek: (head: string) => {
            const match = TOKEN_FIRST.exec(head);
            if (match) onEarlyToken((JSON.parse(match[1] as string) as string) || undefined);
            return match !== null || head.length > 4096; // found, or not in this shape
          },
        }
      : {}),
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

/** `{"FileStatuses":{"continuationToken":"…",` at the start of a LISTSTATUS body: the token as a JSON string. */
const TOKEN_FIRST = /^\s*\{\s*"FileStatuses"\s*:\s*\{\s*"continuationToken"\s*:\s*("(?:[^"\\]|\\.)*")\s*[,}]/;

/** One LISTSTATUS in flight: its page, and the token of the page after it as soon as that is known. */
interface PageRequest {
  page: Promise<FileStatusPage>;
  nextToken: Promise<string | undefined>;
  /** Whether `nextToken` has resolved. */
  tokenKnown: boolean;
}

/**
 * Lists a directory lazily with about two pages in memory, whatever the size of the directory. The next
 * LISTSTATUS goes out as soon as its token is known, usually from the first bytes of the current page's body,
 * so the server prepares page k+1 while the client still receives and parses page k and the caller consumes
 * it: their work overlaps instead of adding up.
 */
export function list(
  fs: WebHdfs,
  path: string,
  defaultPageSize: number,
  options: OperationOptions = {},
): PagedAsyncIterableIterator<FileStatus, FileStatusPage, PageSettings> {
  async function* pages(settings: PageSettings = {}): AsyncIterableIterator<FileStatusPage> {
    const listSize = settings.maxPageSize ?? defaultPageSize;
    const request = (listAfter: string | undefined): PageRequest => {
      let early: ((token: string | undefined) => void) | undefined;
      const earlyToken = new Promise<string | undefined>((resolve) => {
        early = resolve;
      });
      const page = listStatus(fs, path, {
        listSize,
        listAfter,
        abortSignal: options.abortSignal,
        onEarlyToken: early,
      });
      page.catch(() => {}); // a prefetched page nobody asks for must not be an unhandled rejection
      // Whichever comes first: the token from the head of the body, or the parsed page's (then its errors).
      const nextToken = Promise.race([earlyToken, page.then((p) => p.continuationToken)]);
      const pending: PageRequest = { page, nextToken, tokenKnown: false };
      nextToken.then(
        () => {
          pending.tokenKnown = true;
        },
        () => {}, // its errors are the page's, thrown where the page is awaited
      );
      return pending;
    };
    let current: PageRequest | undefined = request(settings.continuationToken);
    while (current) {
      const tokenWasKnown = current.tokenKnown;
      const expected: string | undefined = await current.nextToken;
      let following: PageRequest | undefined = expected === undefined ? undefined : request(expected);
      const page: FileStatusPage = await current.page;
      const token = page.continuationToken;
      // The early token is the page's own; should they ever differ, the page's wins.
      if (token !== expected) following = token === undefined ? undefined : request(token);
      // The request for the next page went out at once when its token arrived while we waited for it (`textOf`).
      // A caller slower than the server asks for it only later, when the token (and maybe the whole page) is
      // already here; a caller that then consumes this page without yielding to the event loop would hold the
      // request made just now back until the page is done. (Not otherwise: the turns cost ~0.8 ms a page.)
      if (following && (tokenWasKnown || token !== expected)) await letRequestsOut();
      if (page.length > 0 || token === undefined) yield page;
      current = following;
    }
  }
  // Entries are handed out from the current page directly (not by `yield*` in a generator, which costs ~4x
  // as much per entry: 100,000 entries, ~25 ms vs ~6 ms).
  let source: AsyncIterableIterator<FileStatusPage> | undefined;
  let page: FileStatus[] = [];
  let index = 0;
  let finished = false;
  const refill = async (): Promise<IteratorResult<FileStatus>> => {
    source ??= pages();
    while (index >= page.length) {
      const next = await source.next();
      if (next.done) {
        finished = true;
        return { done: true, value: undefined };
      }
      page = next.value;
      index = 0;
    }
    return { done: false, value: page[index++] as FileStatus };
  };
  // A caller that asks for more entries before the last answer arrived waits behind the page being fetched.
  let refilling: Promise<IteratorResult<FileStatus>> | undefined;
  const next = (): Promise<IteratorResult<FileStatus>> => {
    if (refilling) return refilling.then(next);
    if (index < page.length) return Promise.resolve({ done: false, value: page[index++] as FileStatus });
    if (finished) return Promise.resolve({ done: true, value: undefined });
    refilling = refill().finally(() => {
      refilling = undefined;
    });
    return refilling;
  };
  // Also `return()`, which core-paging's type leaves out: a `for await` that stops early ends the listing.
  const iterator = {
    next,
    async return(value?: unknown): Promise<IteratorResult<FileStatus>> {
      finished = true;
      page = [];
      await source?.return?.(undefined);
      return { done: true, value };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
    byPage: (settings?: PageSettings) => pages(settings),
  };
  return iterator;
}
