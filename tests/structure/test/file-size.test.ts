import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, sourceFiles, sourceRoots } from "./source-tree.js";

/**
 * Modules stay small enough to read in one sitting: one job each. A module may be longer when its header says why
 * (a line starting `Long because:`), so that the reason is read where the length is.
 */
const LIMIT = 350;
const REASON = /^\s*(?:\*|\/\/)\s*Long because:/m;

describe("module size", () => {
  it.each(sourceRoots())("%s: no module over the limit without a reason in its header", (root) => {
    const oversized = sourceFiles(join(ROOT, root)).flatMap((file) => {
      const text = readFileSync(file, "utf8");
      const lines = text.split("\n").length;
      if (lines <= LIMIT || REASON.test(text.slice(0, 4000))) return [];
      return [`${relative(ROOT, file)}: ${lines} lines`];
    });
    expect(oversized).toEqual([]);
  });
});
