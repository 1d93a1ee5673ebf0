import { describe, expect, it } from "vitest";
import { globBase, globDepth, globToRegExp } from "./glob.js";

describe("globToRegExp", () => {
  it("keeps * and ? within a segment", () => {
    const re = globToRegExp("/data/*.csv");
    expect(re.test("/data/a.csv")).toBe(true);
    expect(re.test("/data/sub/a.csv")).toBe(false);
    expect(globToRegExp("/d/file?.txt").test("/d/file1.txt")).toBe(true);
    expect(globToRegExp("/d/file?.txt").test("/d/file12.txt")).toBe(false);
  });

  it("lets ** span segments, including none", () => {
    const re = globToRegExp("/data/**/x.bin");
    expect(re.test("/data/x.bin")).toBe(true);
    expect(re.test("/data/a/b/x.bin")).toBe(true);
    expect(re.test("/other/x.bin")).toBe(false);
  });

  it("supports classes, negated classes and alternatives, and escapes the rest", () => {
    expect(globToRegExp("/d/[ab].txt").test("/d/a.txt")).toBe(true);
    expect(globToRegExp("/d/[!ab].txt").test("/d/a.txt")).toBe(false);
    expect(globToRegExp("/d/[!ab].txt").test("/d/c.txt")).toBe(true);
    expect(globToRegExp("/d/*.{csv,json}").test("/d/x.json")).toBe(true);
    expect(globToRegExp("/d/a+b (1).txt").test("/d/a+b (1).txt")).toBe(true);
    expect(globToRegExp("/d/a.txt").test("/d/abtxt")).toBe(false);
  });
});

describe("globBase and globDepth", () => {
  it("find where to walk from and how deep", () => {
    expect(globBase("/data/2024/*/x.csv")).toBe("/data/2024");
    expect(globDepth("/data/2024/*/x.csv")).toBe(2);
    expect(globBase("*.txt")).toBe("/");
    expect(globDepth("/a/**/b")).toBe(Number.POSITIVE_INFINITY);
  });
});
