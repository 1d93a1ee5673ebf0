import { describe, expect, test } from "vitest";
import {
  MAX_NAME_BYTES,
  normaliseDecodedPath,
  normalisePath,
  PathError,
  pathString,
  QueryParams,
  splitPrefix,
} from "./parse-request.js";

describe("splitPrefix", () => {
  test.each([
    ["/webhdfs/v1/a/b", "webhdfs", "/a/b"],
    ["/WEBHDFS/V1/a", "webhdfs", "/a"],
    ["/webhdfs/v1", "webhdfs", ""],
    ["/webhdfsext/f", "webhdfsext", "/f"],
    ["/WebHdfsExt/f", "webhdfsext", "/f"],
  ])("%s", (raw, prefix, rest) => {
    expect(splitPrefix(raw)).toEqual({ prefix, rest });
  });

  test("other paths are not filesystem paths", () => {
    expect(splitPrefix("/webhdfs/v2/a")).toBeUndefined();
    expect(splitPrefix("/webhdfsextra/a")).toBeUndefined();
  });
});

describe("normalisePath (§1.3)", () => {
  test.each([
    ["", "/"],
    ["/", "/"],
    ["/.", "/"],
    ["//a/b.txt", "/a/b.txt"],
    ["/a/./b/", "/a/b"],
    ["/%2Fa%2Fb.txt", "/a/b.txt"],
    ["/a%20b%2Bc%23%3F.txt", "/a b+c#?.txt"],
    ["/x+y", "/x+y"],
    ["/%E2%82%AC", "/€"],
    ["/a\\..\\b", "/a\\..\\b"],
    ["/...", "/..."],
  ])("%s → %s", (raw, expected) => {
    expect(pathString(normalisePath(raw))).toBe(expected);
  });

  test.each([
    "/..",
    "/a/../b",
    "/%2e%2e",
    "/%2E%2E/x",
    "/a%2F..%2Fb",
    "/%00",
    "/a%7Fb",
    "/a%0Ab",
    "/%zz",
    "/%C3",
  ])("%s is refused", (raw) => {
    expect(() => normalisePath(raw)).toThrow(PathError);
  });

  test("names are limited to 255 UTF-8 bytes", () => {
    expect(normalisePath(`/${"a".repeat(MAX_NAME_BYTES)}`)).toHaveLength(1);
    expect(() => normalisePath(`/${"a".repeat(MAX_NAME_BYTES + 1)}`)).toThrow(PathError);
    expect(() => normalisePath(`/${"%C3%A9".repeat(128)}`)).toThrow(PathError);
  });

  test("decoded paths are rooted with or without a leading slash", () => {
    expect(normaliseDecodedPath("d/e f+g")).toEqual(["d", "e f+g"]);
    expect(normaliseDecodedPath("/d/e")).toEqual(["d", "e"]);
  });
});

describe("QueryParams (§1.4)", () => {
  test("names are case-insensitive; values are form-decoded", () => {
    const q = new QueryParams("OP=CREATE&aclSpec=user%3Au%3Ar-x&destination=d%2Fe+f%2Bg&flag");
    expect(q.get("op")).toBe("CREATE");
    expect(q.get("ACLSPEC")).toBe("user:u:r-x");
    expect(q.get("destination")).toBe("d/e f+g");
    expect(q.has("flag")).toBe(true);
    expect(q.get("missing")).toBeUndefined();
  });

  test("the first of repeated parameters wins", () => {
    expect(new QueryParams("api-version=1&api-version=2").get("api-version")).toBe("1");
  });

  test("booleans in any case, with defaults; anything else is refused", () => {
    const q = new QueryParams("a=true&b=True&c=FALSE&d=&e=yes");
    expect(q.boolean("a", false)).toBe(true);
    expect(q.boolean("b", false)).toBe(true);
    expect(q.boolean("c", true)).toBe(false);
    expect(q.boolean("d", true)).toBe(true);
    expect(q.boolean("absent", false)).toBe(false);
    expect(() => q.boolean("e", false)).toThrow(PathError);
  });

  test("integers", () => {
    const q = new QueryParams("offset=42&bad=4x&neg=-1");
    expect(q.integer("offset")).toBe(42);
    expect(q.integer("absent")).toBeUndefined();
    expect(() => q.integer("bad")).toThrow(PathError);
    expect(() => q.integer("neg")).toThrow(PathError);
    expect(q.integer("neg", { min: -1 })).toBe(-1);
  });
});
