import { describe, expect, it } from "vitest";
import { baseName, encodePath, joinPath, normalizePath, parentPath } from "./paths.js";

describe("normalizePath", () => {
  it("makes paths absolute and drops empty and dot segments", () => {
    expect(normalizePath("a//b/./c/")).toBe("/a/b/c");
    expect(normalizePath("")).toBe("/");
    expect(normalizePath("/")).toBe("/");
    expect(normalizePath("/.")).toBe("/");
  });

  it("refuses '..' segments", () => {
    expect(() => normalizePath("/a/../b")).toThrow(/'\.\.'/);
  });
});

describe("encodePath", () => {
  it("escapes reserved characters per segment and keeps separators", () => {
    expect(encodePath("/d/12,+3#456?.txt")).toBe("/d/12%2C%2B3%23456%3F.txt");
    expect(encodePath("a b/c%d")).toBe("/a%20b/c%25d");
    expect(encodePath("/x/it's(1)*!")).toBe("/x/it%27s%281%29%2A%21");
  });

  it("encodes non-ASCII names as UTF-8", () => {
    expect(encodePath("/über/日本")).toBe("/%C3%BCber/%E6%97%A5%E6%9C%AC");
  });

  it("renders the root as a single slash", () => {
    expect(encodePath("")).toBe("/");
  });
});

describe("joinPath, parentPath, baseName", () => {
  it("join and split paths", () => {
    expect(joinPath("/a", "b/", "/c")).toBe("/a/b/c");
    expect(parentPath("/a/b/c")).toBe("/a/b");
    expect(parentPath("/a")).toBe("/");
    expect(parentPath("/")).toBe("/");
    expect(baseName("/a/b.txt")).toBe("b.txt");
    expect(baseName("/")).toBe("");
  });
});
