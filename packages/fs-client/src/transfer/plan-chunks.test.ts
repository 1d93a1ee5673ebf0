import { InvalidArgumentError } from "@adlkit/core";
import { describe, expect, it } from "vitest";
import { planBlocks, planChunks, segmentDirectory, segmentPath } from "./plan-chunks.js";

describe("planChunks", () => {
  it("covers the file exactly with chunks of chunkSize and a shorter last one", () => {
    const chunks = planChunks(3 * 1024 * 1024 + 5, 1024 * 1024);
    expect(chunks.map((c) => c.offset)).toEqual([0, 1048576, 2097152, 3145728]);
    expect(chunks.map((c) => c.length)).toEqual([1048576, 1048576, 1048576, 5]);
    expect(chunks.map((c) => c.index)).toEqual([0, 1, 2, 3]);
  });

  it("gives an exact multiple no empty trailing chunk", () => {
    expect(planChunks(20 * 1024 * 1024, 1024 * 1024)).toHaveLength(20);
  });

  it("plans one empty chunk for an empty file", () => {
    expect(planChunks(0, 10)).toEqual([{ index: 0, offset: 0, length: 0 }]);
  });

  it("rejects nonsense sizes", () => {
    expect(() => planChunks(-1, 10)).toThrow(InvalidArgumentError);
    expect(() => planChunks(10, 0)).toThrow(InvalidArgumentError);
    expect(() => planChunks(1.5, 10)).toThrow(InvalidArgumentError);
  });
});

describe("planBlocks", () => {
  it("splits a chunk into request bodies", () => {
    expect(planBlocks(10, 4)).toEqual([
      { offset: 0, length: 4 },
      { offset: 4, length: 4 },
      { offset: 8, length: 2 },
    ]);
    expect(planBlocks(0, 4)).toEqual([]);
  });
});

describe("segment names", () => {
  it("follow the Python uploader's layout", () => {
    const dir = segmentDirectory("/up/big.bin", "abc123");
    expect(dir).toBe("/up/big.bin.segments.abc123");
    expect(segmentPath(dir, "big.bin", { index: 1, offset: 1048576, length: 5 })).toBe(
      "/up/big.bin.segments.abc123/big.bin_1048576",
    );
  });
});
