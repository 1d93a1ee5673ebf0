import { runInNewContext } from "node:vm";
import { expect, test } from "vitest";
import { noteStreamedBytes } from "./gc-pacer.js";

test("collecting young garbage leaves the process's flags as they were: no context gains a gc function", () => {
  const before = { main: typeof (globalThis as { gc?: unknown }).gc, context: runInNewContext("typeof gc") };
  for (let i = 0; i < 4; i++) noteStreamedBytes(8 * 1024 * 1024); // takes the gc function, collects 4 times
  expect({ main: typeof (globalThis as { gc?: unknown }).gc, context: runInNewContext("typeof gc") }).toEqual(
    before,
  );
});
