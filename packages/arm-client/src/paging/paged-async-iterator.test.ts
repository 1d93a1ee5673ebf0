import { describe, expect, it } from "vitest";
import { createPagedAsyncIterator, type PageFetcher } from "./paged-async-iterator.js";

/** A fake service: pages keyed by link; `undefined` is the first page. */
function pages(book: Record<string, { items: number[]; nextLink?: string | null }>): {
  fetch: PageFetcher<number>;
  asked: Array<string | undefined>;
} {
  const asked: Array<string | undefined> = [];
  return {
    asked,
    fetch: async (link) => {
      asked.push(link);
      const page = book[link ?? "first"];
      if (!page) throw new Error(`no page ${link}`);
      return page;
    },
  };
}

const collect = async <T>(it: AsyncIterable<T>) => {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
};

describe("createPagedAsyncIterator", () => {
  it("follows nextLink verbatim until it is absent", async () => {
    const svc = pages({
      first: { items: [1, 2], nextLink: "https://arm/p2" },
      "https://arm/p2": { items: [3], nextLink: "https://arm/p3" },
      "https://arm/p3": { items: [4] },
    });
    expect(await collect(createPagedAsyncIterator(svc.fetch))).toEqual([1, 2, 3, 4]);
    expect(svc.asked).toEqual([undefined, "https://arm/p2", "https://arm/p3"]);
  });

  it("keeps going through empty pages that still have a nextLink", async () => {
    const svc = pages({
      first: { items: [], nextLink: "p2" },
      p2: { items: [], nextLink: "p3" },
      p3: { items: [7] },
    });
    expect(await collect(createPagedAsyncIterator(svc.fetch))).toEqual([7]);
  });

  it("stops on a null or empty nextLink", async () => {
    expect(
      await collect(createPagedAsyncIterator(pages({ first: { items: [1], nextLink: null } }).fetch)),
    ).toEqual([1]);
    expect(
      await collect(createPagedAsyncIterator(pages({ first: { items: [1], nextLink: "" } }).fetch)),
    ).toEqual([1]);
  });

  it("gives pages with their continuation token, and resumes from one", async () => {
    const book = {
      first: { items: [1, 2], nextLink: "p2" },
      p2: { items: [3], nextLink: "p3" },
      p3: { items: [4] },
    };
    const all = await collect(createPagedAsyncIterator(pages(book).fetch).byPage());
    expect(all.map((p) => [...p])).toEqual([[1, 2], [3], [4]]);
    expect(all.map((p) => p.continuationToken)).toEqual(["p2", "p3", undefined]);

    const svc = pages(book);
    const resumed = await collect(createPagedAsyncIterator(svc.fetch).byPage({ continuationToken: "p2" }));
    expect(resumed.map((p) => [...p])).toEqual([[3], [4]]);
    expect(svc.asked).toEqual(["p2", "p3"]);
  });

  it("fetches lazily: breaking out after the first item reads one page", async () => {
    const svc = pages({ first: { items: [1, 2], nextLink: "p2" }, p2: { items: [3] } });
    for await (const item of createPagedAsyncIterator(svc.fetch)) {
      expect(item).toBe(1);
      break;
    }
    expect(svc.asked).toEqual([undefined]);
  });

  it("refuses a nextLink it has already followed instead of looping", async () => {
    const svc = pages({ first: { items: [1], nextLink: "p2" }, p2: { items: [2], nextLink: "p2" } });
    await expect(collect(createPagedAsyncIterator(svc.fetch))).rejects.toThrow(/nextLink .*twice/);
  });

  it("rejects a page without a value array", async () => {
    const bad: PageFetcher<number> = async () => ({ items: undefined as unknown as number[] });
    await expect(collect(createPagedAsyncIterator(bad))).rejects.toMatchObject({ code: "INVALID_RESPONSE" });
  });

  it("rejects an empty continuation token", async () => {
    await expect(
      collect(createPagedAsyncIterator(pages({}).fetch).byPage({ continuationToken: "" })),
    ).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
  });
});
