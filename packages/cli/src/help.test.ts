import { DEFAULTS } from "@adlkit/fs-client";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "./commands.js";
import { UsageError } from "./errors.js";
import { parseArgs } from "./parse-args.js";
import { parseSize } from "./parse-values.js";

/** `adl --help`, `adl GROUP --help`, `adl help COMMAND`: what parseArgs answers with help.ts's layout. */
describe("help", () => {
  it("shows help with exit code 0 for --help and 2 for a bare group", () => {
    const help = parseArgs(["--help"]);
    expect(help).toMatchObject({ kind: "help", exitCode: 0 });
    expect(help.kind === "help" && help.text).toMatch(
      /Exit codes: 0 ok, 1 failed, 2 usage error, 3 not found/,
    );
    expect(parseArgs([])).toMatchObject({ kind: "help", exitCode: 2 });
    const group = parseArgs(["fs", "acl"]);
    expect(group).toMatchObject({ kind: "help", exitCode: 2 });
    expect(group.kind === "help" && group.text).toMatch(/remove-default/);
  });

  const helpText = (argv: string[]) => {
    const parsed = parseArgs(argv);
    expect(parsed).toMatchObject({ kind: "help", exitCode: 0 });
    return parsed.kind === "help" ? parsed.text : "";
  };

  it("routes `adl help WORDS…` and `adl GROUP help WORDS…` to the command's own help", () => {
    const put = helpText(["fs", "put", "--help"]);
    expect(put).toMatch(/^Usage: adl fs put \[options\] <local> <remote>/);
    expect(helpText(["help", "fs", "put"])).toBe(put);
    expect(helpText(["fs", "help", "put"])).toBe(put);
    expect(helpText(["help", "fs", "acl", "remove-default"])).toBe(
      helpText(["fs", "acl", "remove-default", "-h"]),
    );
    expect(helpText(["fs", "acl", "help", "get"])).toBe(helpText(["fs", "acl", "get", "--help"]));
    expect(helpText(["help", "fs"])).toBe(helpText(["fs", "--help"]));
    expect(helpText(["help"])).toBe(helpText(["--help"]));
    expect(helpText(["fs", "--help"])).toMatch(/\n {2}help \[command\.\.\.\] +show the help of a command\n/);
    for (const argv of [
      ["help", "fs", "putt"],
      ["help", "nosuch"],
      ["fs", "help", "put", "extra"],
    ]) {
      expect(() => parseArgs(argv), argv.join(" ")).toThrow(UsageError);
      expect(() => parseArgs(argv), argv.join(" ")).toThrow(/^unknown command '.*'$/);
    }
  });

  it("lays out help as usage, description, options, examples, then the global options", () => {
    const put = helpText(["fs", "put", "--help"]);
    const order = ["Usage:", "Upload a file", "\nOptions:", "\nExamples:", "\nGlobal options:"].map((h) =>
      put.indexOf(h),
    );
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // Only the command's own options above the examples; the inherited ones after them.
    const own = put.slice(put.indexOf("\nOptions:"), put.indexOf("\nExamples:"));
    expect(own).toContain("--threads");
    expect(own).not.toContain("--json");
    expect(put.slice(put.indexOf("\nGlobal options:"))).toMatch(/--json[\s\S]*--account/);

    const root = helpText(["--help"]);
    const rootOrder = ["\nCommands:", "\nExamples:", "\nGlobal options:", "Exit codes:"].map((h) =>
      root.indexOf(h),
    );
    expect(rootOrder.every((at) => at >= 0)).toBe(true);
    expect([...rootOrder].sort((a, b) => a - b)).toEqual(rootOrder);
    const group = helpText(["fs", "acl", "--help"]);
    expect(group.indexOf("\nCommands:")).toBeLessThan(group.indexOf("\nGlobal options:"));
  });

  it("shows the library's defaults of --threads and --chunk-size", () => {
    for (const name of ["put", "get"]) {
      const help = helpText(["fs", name, "--help"]);
      const threads = /--threads <n> +parallel requests \(default: (\d+)\)/.exec(help)?.[1];
      const chunk = /--chunk-size <size> .*\(default: (\w+)\)/.exec(help)?.[1];
      expect(Number(threads)).toBe(DEFAULTS.concurrency);
      expect(parseSize(chunk ?? "")).toBe(DEFAULTS.chunkSize);
    }
  });

  it.each(COMMANDS.map((c) => [c.name, c] as const))("`adl %s --help` has examples", (name, spec) => {
    const help = parseArgs([...name.split(" "), "--help"]);
    expect(help.kind).toBe("help");
    if (help.kind !== "help") return;
    expect(help.exitCode).toBe(0);
    expect(help.text).toContain(`Usage: adl ${name}`);
    expect(help.text).toContain("Examples:");
    expect(spec.examples.length).toBeGreaterThan(0);
    for (const example of spec.examples) {
      expect(
        example.startsWith(`adl ${name}`) ||
          example.includes(`| adl ${name}`) ||
          example.includes(`adl ${name} `),
      ).toBe(true);
      expect(help.text).toContain(`$ ${example}`);
    }
    expect(help.text).toContain("--json");
  });
});
