#!/usr/bin/env node
// The entry point. `adl --version` is answered here, before anything else is loaded, so it stays fast; every
// other command line goes to main.ts, which loads only the command it runs.
import { readFileSync } from "node:fs";
import module from "node:module";

const argv = process.argv.slice(2);
const major = Number(process.versions.node.split(".")[0]);
if (major < 22) {
  process.stderr.write(`adl: Node.js 22.12 or later is needed; this is ${process.version}.\n`);
  process.exitCode = 1;
} else if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  process.stdout.write(`${pkg.version}\n`);
} else {
  // Reuse V8's compiled code between runs (Node >= 22.1): most of a short command's time is compiling modules.
  module.enableCompileCache?.();
  const { main } = await import("./main.js");
  await main(argv);
}
