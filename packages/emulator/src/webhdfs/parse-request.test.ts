import { describe, expect, test } from "vitest";
import { MAX_TIME_MS } from "../store/metadata-store.js";
import {
  MAX_NAME_BYTES,
  MAX_PATH_DEPTH,
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

  test(`paths are limited to ${MAX_PATH_DEPTH} segments`, () => {
    expect(normaliseDecodedPath("/a".repeat(MAX_PATH_DEPTH))).toHaveLength(MAX_PATH_DEPTH);
    expect(() => normaliseDecodedPath("/a".repeat(MAX_PATH_DEPTH + 1))).toThrow(PathError);
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

  test("numeric parameters are range-checked by name", () => {
    const q = new QueryParams("offset=42&length=4x&listSize=0&modificationtime=-1&accesstime=-2&buffersize=");
    expect(q.integer("offset")).toBe(42);
    expect(q.integer("OFFSET")).toBe(42);
    expect(q.integer("expireTime")).toBeUndefined();
    expect(q.integer("buffersize")).toBeUndefined(); // empty is absent
    expect(() => q.integer("length")).toThrow(PathError);
    expect(() => q.integer("listSize")).toThrow(PathError);
    expect(q.integer("modificationtime")).toBe(-1); // HDFS's "unchanged"
    expect(() => q.integer("accesstime")).toThrow(PathError);
    expect(() => q.integer("unknown")).toThrow(/not a numeric parameter/);
    expect(() => q.checkNumbers()).toThrow(PathError);
  });

  test.each([
    ["expireTime", String(MAX_TIME_MS), true],
    ["expireTime", String(MAX_TIME_MS + 1), false],
    ["modificationtime", "9999999999999999", false],
    ["offset", String(Number.MAX_SAFE_INTEGER), true],
    ["offset", String(2 ** 53), false],
    ["offset", "9223372036854775807", false],
    ["length", "-0", true],
    ["length", "1e3", false],
    ["length", "1.0", false],
    ["length", "+1", false],
    ["length", "0x10", false],
    ["listSize", String(2 ** 31 - 1), true],
    ["listSize", String(2 ** 31), false],
    ["replication", "32767", true],
    ["replication", "32768", false],
    ["blocksize", "0", false],
  ])("%s=%s accepted: %s", (name, value, accepted) => {
    const q = new QueryParams(`${name}=${encodeURIComponent(value)}`);
    if (accepted) expect(q.integer(name)).toBe(Number(value) === 0 ? 0 : Number(value));
    else expect(() => q.checkNumbers()).toThrow(PathError);
  });

  test("permission: 1-4 octal digits, the first of four a sticky 0 or 1", () => {
    expect(new QueryParams("permission=1777").permission()).toEqual({ sticky: true, bits: 0o777 });
    expect(new QueryParams("permission=644").permission()).toEqual({ sticky: false, bits: 0o644 });
    expect(new QueryParams("").permission()).toBeUndefined();
    for (const bad of ["2777", "8", "-1", "77777", "1e3"])
      expect(() => new QueryParams(`permission=${bad}`).checkNumbers()).toThrow(PathError);
  });
});
