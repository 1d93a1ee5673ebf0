import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * No module of the CLI imports itself through others. A cycle makes load order matter (a half-initialised
 * module seen from the other side) and ties files that should be read apart; type-only and lazy `import()`
 * count too, since they are how the command table and the commands came to import each other once.
 */

const SRC = fileURLToPath(new URL("../src", import.meta.url));

// `from "./x.js"`, `import "./x.js"`, `import("./x.js")`, `import type … from`, `export … from`.
const RELATIVE_IMPORT = /(?:\bfrom|\bimport)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

/** File → the files it imports, as paths relative to `root` (a `.js` specifier names its `.ts` source). */
function importGraph(root: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(root)) {
    const text = readFileSync(file, "utf8");
    const targets = [...text.matchAll(RELATIVE_IMPORT)].map((match) =>
      relative(root, resolve(dirname(file), match[1]!.replace(/\.js$/, ".ts"))),
    );
    graph.set(relative(root, file), targets);
  }
  return graph;
}

/** One cycle as the path that closes it (`a → b → a`), or undefined when there is none. */
function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (node: string): string[] | undefined => {
    const at = path.indexOf(node);
    if (at >= 0) return [...path.slice(at), node];
    if (done.has(node)) return undefined;
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    done.add(node);
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

describe("import cycles", () => {
  it("finds a cycle through a lazy import and reports the path that closes it", () => {
    const graph = new Map([
      ["commands.ts", ["commands/rules-table.ts"]],
      ["commands/rules-table.ts", ["commands/rules.ts"]],
      ["commands/rules.ts", ["commands.ts"]],
    ]);
    expect(findCycle(graph)).toEqual([
      "commands.ts",
      "commands/rules-table.ts",
      "commands/rules.ts",
      "commands.ts",
    ]);
    graph.set("commands/rules.ts", []);
    expect(findCycle(graph)).toBeUndefined();
  });

  it("reads every kind of relative import", () => {
    const graph = importGraph(SRC);
    expect(graph.get("commands.ts")).toContain("commands/fs-table.ts"); // static
    expect(graph.get("commands/fs-table.ts")).toContain("commands/fs/transfer.ts"); // lazy import()
    expect(graph.get("commands/rules.ts")).toContain("command-spec.ts"); // type-only
  });

  it("none in packages/cli/src", () => {
    expect(findCycle(importGraph(SRC))).toBeUndefined();
  });
});
