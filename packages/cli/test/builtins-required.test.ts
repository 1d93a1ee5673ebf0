import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a build script, plain JavaScript without types
import { requireBuiltins } from "../scripts/builtins-required.mjs";

describe("the CLI bundle's built-ins as require() (scripts/builtins-required.mjs)", () => {
  it("rewrites each form of import of a built-in, and nothing else", () => {
    const source = [
      'import { readFile, rm as remove } from "node:fs/promises";',
      'import path from "node:path";',
      "import * as os from 'os';",
      'import v8, { setFlagsFromString } from "node:v8";',
      'import {\n  styleText,\n  stripVTControlCharacters as strip\n} from "node:util";',
      'import { Command } from "commander";',
      'import { x } from "./local.js";',
      'const text = "import a from \\"node:fs\\"";',
    ].join("\n");
    expect(requireBuiltins(source)).toBe(
      [
        'const { readFile, rm: remove } = require("node:fs/promises");',
        'const path = require("node:path");',
        'const os = require("os");',
        'const v8 = require("node:v8"), { setFlagsFromString } = v8;',
        'const {\n  styleText,\n  stripVTControlCharacters: strip\n} = require("node:util");',
        'import { Command } from "commander";',
        'import { x } from "./local.js";',
        'const text = "import a from \\"node:fs\\"";',
      ].join("\n"),
    );
    expect(requireBuiltins('import { Command } from "commander";')).toBeUndefined();
  });

  it("leaves no ES-module import of a built-in in the bundle but the bin's own", () => {
    const dir = fileURLToPath(new URL("../bundle/", import.meta.url));
    const offenders = readdirSync(dir)
      .filter((name) => name.endsWith(".js") && name !== "bin.js")
      .filter((name) =>
        /^import\s[^;]*from\s*["'](node:|(fs|path|os|util|crypto)["'])/m.test(
          readFileSync(dir + name, "utf8"),
        ),
      );
    expect(offenders).toEqual([]);
  });
});
