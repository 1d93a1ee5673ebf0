import type { ContainerClient } from "@azure/storage-blob";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DfsFixture, failureOf, startDfsFixture } from "./dfs-fixture.js";

/**
 * List Blobs through `@azure/storage-blob` 12.34.0 (`listBlobsFlat`, `listBlobsByHierarchy`, `byPage`) over a tree
 * made with the DataLake SDK: prefixes, the `/` delimiter (directories as blobs and as prefixes), pages and
 * markers, metadata, and the rights of the caller.
 */
let fx: DfsFixture;
let container: ContainerClient;

beforeAll(async () => {
  fx = await startDfsFixture("listblobs");
  const fs = fx.owner.client.getFileSystemClient("lbfs");
  await fs.create();
  for (const name of ["a/x.txt", "a/y/z.txt", "a/y/w.txt", "a-b.txt", "b.txt"])
    await fs.getFileClient(name).upload(Buffer.from(name), { metadata: { n: name.length.toString() } });
  container = fx.blob().getContainerClient("lbfs");
}, 60_000);
afterAll(() => fx?.close());

async function flat(options: Parameters<ContainerClient["listBlobsFlat"]>[0] = {}): Promise<string[]> {
  const names: string[] = [];
  for await (const blob of container.listBlobsFlat(options)) names.push(blob.name);
  return names;
}

async function level(prefix: string): Promise<string[]> {
  const out: string[] = [];
  for await (const item of container.listBlobsByHierarchy("/", { prefix }))
    out.push(item.kind === "prefix" ? `prefix:${item.name}` : item.name);
  return out;
}

describe("List Blobs", () => {
  it("flat: every file and directory in pre-order; a prefix may end inside a name", async () => {
    expect(await flat()).toEqual(["a", "a/x.txt", "a/y", "a/y/w.txt", "a/y/z.txt", "a-b.txt", "b.txt"]);
    expect(await flat({ prefix: "a/y/w" })).toEqual(["a/y/w.txt"]);
    expect(await flat({ prefix: "a" })).toEqual(["a", "a/x.txt", "a/y", "a/y/w.txt", "a/y/z.txt", "a-b.txt"]);
    expect(await flat({ prefix: "nothing/" })).toEqual([]);
    expect(await flat({ prefix: "a//x" })).toEqual([]);
  });

  it("delimiter /: one level, directories as blobs and as prefixes", async () => {
    // The SDK yields a page's prefixes before its blobs.
    expect(await level("")).toEqual(["prefix:a/", "a", "a-b.txt", "b.txt"]);
    expect(await level("a/")).toEqual(["prefix:a/y/", "a/x.txt", "a/y"]);
    expect(await level("a/y/")).toEqual(["a/y/w.txt", "a/y/z.txt"]);
  });

  it("pages of maxresults resume at NextMarker, flat and by hierarchy, with nothing lost or repeated", async () => {
    const pages: string[][] = [];
    for await (const page of container.listBlobsFlat().byPage({ maxPageSize: 2 }))
      pages.push(page.segment.blobItems.map((b) => b.name));
    expect(pages).toEqual([["a", "a/x.txt"], ["a/y", "a/y/w.txt"], ["a/y/z.txt", "a-b.txt"], ["b.txt"]]);
    const levels: string[][] = [];
    for await (const page of container.listBlobsByHierarchy("/").byPage({ maxPageSize: 1 }))
      levels.push([
        ...page.segment.blobItems.map((b) => b.name),
        ...page.segment.blobPrefixes!.map((p) => `prefix:${p.name}`),
      ]);
    expect(levels).toEqual([["a"], ["prefix:a/"], ["a-b.txt"], ["b.txt"]]);
  });

  it("a directory of more entries than one store page (500) is listed whole, in name order", async () => {
    const fs = fx.owner.client.getFileSystemClient("lbfs");
    const names = Array.from({ length: 510 }, (_, i) => `many/f${String(i).padStart(4, "0")}`);
    for (let i = 0; i < names.length; i += 30)
      await Promise.all(names.slice(i, i + 30).map((n) => fs.getFileClient(n).create()));
    expect(await flat({ prefix: "many/" })).toEqual(names);
    let pages = 0;
    const seen: string[] = [];
    for await (const page of container
      .listBlobsByHierarchy("/", { prefix: "many/" })
      .byPage({ maxPageSize: 200 })) {
      pages++;
      seen.push(...page.segment.blobItems.map((b) => b.name));
    }
    expect([pages, seen]).toEqual([3, names]);
    await fs.getDirectoryClient("many").delete(true);
  }, 60_000);

  it("properties and metadata: directories carry hdi_isfolder, files their length, type and metadata", async () => {
    const items = new Map<
      string,
      { metadata?: Record<string, string>; properties: { contentLength?: number } }
    >();
    for await (const b of container.listBlobsFlat({ includeMetadata: true })) items.set(b.name, b);
    expect(items.get("a")!.metadata).toEqual({ hdi_isfolder: "true" });
    expect(items.get("a/y/z.txt")!.metadata).toEqual({ n: "9" });
    expect(items.get("a/y/z.txt")!.properties.contentLength).toBe(9);
  });

  it("needs read on the directories listed (403 for a principal without); a bad delimiter or marker is 400", async () => {
    const theirs = fx.blob("other").getContainerClient("lbfs");
    expect(await failureOf(theirs.listBlobsFlat().next())).toEqual({
      status: 403,
      code: "AuthorizationPermissionMismatch",
    });
    const delimiter = await fx.raw("GET", "/lbfs?restype=container&comp=list&delimiter=%7C");
    expect([delimiter.status, delimiter.headers["x-ms-error-code"]]).toEqual([
      400,
      "InvalidQueryParameterValue",
    ]);
    const marker = await fx.raw("GET", "/lbfs?restype=container&comp=list&marker=bogus");
    expect([marker.status, marker.headers["x-ms-error-code"]]).toEqual([400, "InvalidQueryParameterValue"]);
  });
});
