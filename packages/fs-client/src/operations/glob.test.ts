import { describe, expect, it } from "vitest";
import { globBase, globDepth, globToRegExp } from "./glob.js";

const matches = (pattern: string, path: string) => globToRegExp(pattern).test(path);

describe("globToRegExp", () => {
  it("keeps * and ? within a segment", () => {
    expect(matches("/data/*.csv", "/data/a.csv")).toBe(true);
    expect(matches("/data/*.csv", "/data/sub/a.csv")).toBe(false);
    expect(matches("/d/file?.txt", "/d/file1.txt")).toBe(true);
    expect(matches("/d/file?.txt", "/d/file12.txt")).toBe(false);
    expect(matches("/data/*", "/data/.hidden")).toBe(true);
  });

  it("lets ** span segments, including none", () => {
    expect(matches("/data/**/x.bin", "/data/x.bin")).toBe(true);
    expect(matches("/data/**/x.bin", "/data/a/b/x.bin")).toBe(true);
    expect(matches("/data/**/x.bin", "/other/x.bin")).toBe(false);
  });

  it("supports classes and negated classes, case-sensitively", () => {
    expect(matches("/d/[ab].txt", "/d/a.txt")).toBe(true);
    expect(matches("/d/[!ab].txt", "/d/a.txt")).toBe(false);
    expect(matches("/d/[!ab].txt", "/d/c.txt")).toBe(true);
    expect(matches("/D/*.csv", "/d/a.csv")).toBe(false);
  });

  it("expands braces with wildcards inside (the old matcher escaped them)", () => {
    expect(matches("/data/{*.csv,*.txt}", "/data/a.csv")).toBe(true);
    expect(matches("/data/{*.csv,*.txt}", "/data/b.txt")).toBe(true);
    expect(matches("/data/{*.csv,*.txt}", "/data/c.json")).toBe(false);
    expect(matches("/d/*.{csv,json}", "/d/x.json")).toBe(true);
  });

  it("expands nested braces (the old matcher built a broken regexp)", () => {
    expect(matches("/d/{a,{b,c}}.x", "/d/c.x")).toBe(true);
    expect(matches("/d/{a,{b,c}}.x", "/d/d.x")).toBe(false);
    expect(matches("/d/{x,y{1,2}}/f", "/d/y2/f")).toBe(true);
  });

  it("takes the other special characters of file names literally", () => {
    expect(matches("/d/a+b (1).txt", "/d/a+b (1).txt")).toBe(true);
    expect(matches("/d/a+b (1).txt", "/d/a+b 1.txt")).toBe(false);
    expect(matches("/d/a|b$c^.txt", "/d/a|b$c^.txt")).toBe(true);
    expect(matches("/d/a.txt", "/d/abtxt")).toBe(false);
  });
});

describe("globBase and globDepth", () => {
  it("find where to walk from and how deep", () => {
    expect(globBase("/data/2024/*/x.csv")).toBe("/data/2024");
    expect(globDepth("/data/2024/*/x.csv")).toBe(2);
    expect(globBase("/*.txt")).toBe("/");
    expect(globDepth("/a/**/b")).toBe(Number.POSITIVE_INFINITY);
    expect(globBase("/data/{a,b}/x")).toBe("/data");
    expect(globDepth("/data/{a,b}/x")).toBe(2);
    expect(globDepth("/data/{a/b,c}")).toBe(Number.POSITIVE_INFINITY);
  });
});
