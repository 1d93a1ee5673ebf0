import { AdlkitError, sanitizeUrl } from "@adlkit/core";
import type { PagedAsyncIterableIterator, PageSettings } from "@azure/core-paging";

/** One page of a list: the items, plus the token (the service's nextLink) that fetches the page after it. */
export type Page<T> = T[] & { continuationToken?: string | undefined };

export type { PagedAsyncIterableIterator, PageSettings };

/**
 * An ARM list in `@azure/core-paging`'s shape: iterate items with `for await`, or pages with `byPage()`, whose
 * `continuationToken` (a page's nextLink) resumes a listing. `maxPageSize` is not used: ARM lists choose it.
 */
export type PagedList<T> = PagedAsyncIterableIterator<T, Page<T>, PageSettings>;

/** Fetches one page: the first when `link` is undefined, else the nextLink given. */
export type PageFetcher<T> = (
  link: string | undefined,
) => Promise<{ items: T[]; nextLink?: string | null | undefined }>;

/**
 * Follows `nextLink` until the service stops sending one (absent, null or empty). Pages may be empty and
 * still have a nextLink. A nextLink that repeats one already followed is an error, not an endless loop.
 */
export function createPagedAsyncIterator<T>(fetchPage: PageFetcher<T>): PagedList<T> {
  async function* pages(settings: PageSettings = {}): AsyncIterableIterator<Page<T>> {
    const seen = new Set<string>();
    let link: string | undefined = settings.continuationToken;
    if (link !== undefined) {
      if (typeof link !== "string" || !link)
        throw new AdlkitError("continuationToken must be a non-empty string from a previous page.", {
          code: "INVALID_ARGUMENT",
        });
      seen.add(link);
    }
    for (;;) {
      const { items, nextLink } = await fetchPage(link);
      if (!Array.isArray(items))
        throw new AdlkitError("Resource Manager sent a list page without a value array.", {
          code: "INVALID_RESPONSE",
        });
      const page = [...items] as Page<T>;
      const next = typeof nextLink === "string" && nextLink.length > 0 ? nextLink : undefined;
      page.continuationToken = next;
      yield page;
      if (!next) return;
      if (seen.has(next)) {
        throw new AdlkitError(
          `Resource Manager sent the nextLink ${sanitizeUrl(next)} twice; stopping instead of looping forever.`,
          {
            code: "INVALID_RESPONSE",
          },
        );
      }
      seen.add(next);
      link = next;
    }
  }

  async function* items(): AsyncIterableIterator<T> {
    for await (const page of pages()) yield* page;
  }

  const iterator = items();
  // Also `return()`, which core-paging's type leaves out: a `for await` that stops early ends the listing.
  const paged = {
    next: () => iterator.next(),
    return: (value?: unknown) =>
      iterator.return?.(value as never) ?? Promise.resolve({ done: true, value: undefined as never }),
    [Symbol.asyncIterator]() {
      return this;
    },
    byPage: (settings?: PageSettings) => pages(settings),
  };
  return paged;
}
