import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findCycles, importGraph, ROOT, sourceRoots } from "./source-tree.js";

/**
 * No module imports itself through others, in any package. A cycle makes load order matter (a half-initialised
 * module seen from the other side) and ties files that should be read apart.
 */

describe("import cycles", () => {
  it("finds a cycle through a lazy import and reports the path that closes it", () => {
    const graph = new Map([
      ["commands.ts", ["commands/rules-table.ts"]],
      ["commands/rules-table.ts", ["commands/rules.ts"]],
      ["commands/rules.ts", ["commands.ts"]],
    ]);
    expect(findCycles(graph)).toEqual([
      ["commands.ts", "commands/rules-table.ts", "commands/rules.ts", "commands.ts"],
    ]);
    graph.set("commands/rules.ts", []);
    expect(findCycles(graph)).toEqual([]);
  });

  it("reads every kind of relative import", () => {
    const graph = importGraph(join(ROOT, "packages/cli/src"));
    expect(graph.get("commands.ts")).toContain("commands/fs-table.ts"); // static
    expect(graph.get("commands/fs-table.ts")).toContain("commands/fs/transfer.ts"); // lazy import()
    expect(graph.get("commands/rules.ts")).toContain("command-spec.ts"); // type-only
  });

  it.each(sourceRoots())("none in %s", (root) => {
    const cycles = findCycles(importGraph(join(ROOT, root))).map((cycle) => `${root}: ${cycle.join(" → ")}`);
    expect(cycles).toEqual([]);
  });
});
