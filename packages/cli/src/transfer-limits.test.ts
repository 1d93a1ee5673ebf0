import { CHUNK_SIZE_RANGE, CONCURRENCY_RANGE } from "@adlkit/fs-client";
import { describe, expect, it } from "vitest";
import { TRANSFER_LIMITS } from "./commands/fs-table.js";

describe("transfer limits", () => {
  it("are fs-client's own ranges (spelled out only so that parsing does not load the client)", () => {
    expect(TRANSFER_LIMITS.threads).toEqual(CONCURRENCY_RANGE);
    expect(TRANSFER_LIMITS.chunkSize).toEqual(CHUNK_SIZE_RANGE);
  });
});
