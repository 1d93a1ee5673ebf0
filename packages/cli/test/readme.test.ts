import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { COMMANDS, GROUPS } from "../src/commands.js";
import { parseArgs } from "../src/parse-args.js";

/** The README and `--help` say the same things: the same commands, no flag that does not exist, every global one. */
const README = readFileSync(new URL("../README.md", import.meta.url), "utf8");

function help(argv: string[]): string {
  const parsed = parseArgs([...argv, "--help"]);
  if (parsed.kind !== "help") throw new Error(`no help for ${argv.join(" ")}`);
  return parsed.text;
}

/** The long flags a help text lists, in its option sections. */
function flagsIn(text: string): Set<string> {
  return new Set([...text.matchAll(/^ {2}(?:-\w, )?(--[a-z][a-z-]*)/gm)].map((m) => m[1]!));
}

describe("README agrees with --help", () => {
  it("lists the commands of every group, and only those", () => {
    const rows = [...README.matchAll(/^\| `([a-z -]+)` \| (.*?) \| `adl /gm)];
    expect(rows.map((r) => r[1]).sort()).toEqual(
      GROUPS.map((g) => g.name)
        .filter((g) =>
          COMMANDS.some(
            (c) => c.name.startsWith(`${g} `) && c.name.split(" ").length === g.split(" ").length + 1,
          ),
        )
        .sort(),
    );
    for (const [, group, cell] of rows) {
      const documented = [...cell!.matchAll(/`([a-z][a-z-]*)/g)].map((m) => m[1]);
      const real = COMMANDS.filter(
        (c) => c.name.startsWith(`${group} `) && c.name.split(" ").length === group!.split(" ").length + 1,
      ).map((c) => c.name.split(" ").at(-1));
      expect(documented, group).toEqual(real);
      // And each of them shows in the group's help.
      for (const name of real)
        expect(help(group!.split(" ")), `${group} ${name}`).toMatch(new RegExp(`\\n {2}${name} `));
    }
  });

  it("mentions no flag that adl does not have, and every global one", () => {
    const known = new Set([...flagsIn(help([]))]);
    for (const spec of COMMANDS) for (const flag of flagsIn(help(spec.name.split(" ")))) known.add(flag);
    // Install and build lines are npm's and pnpm's flags, not adl's.
    const text = README.split("\n")
      .filter((line) => !/\b(npm|pnpm) /.test(line))
      .join("\n");
    const mentioned = new Set([...text.matchAll(/(?<![\w-])(--[a-z][a-z-]*)/g)].map((m) => m[1]!));
    expect([...mentioned].filter((f) => !known.has(f))).toEqual([]);
    const globals = help([]).slice(help([]).indexOf("\nGlobal options:"));
    expect([...flagsIn(globals)].filter((f) => !mentioned.has(f))).toEqual([]);
  });
});
