#!/usr/bin/env node
// The entry point. `adl --version` is answered here, before anything else is loaded, so it stays fast; every
// other command line goes to main.ts, which loads only the command it runs.
import { readFileSync } from "node:fs";

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
  process.stdout.write(`${pkg.version}\n`);
} else {
  const { main } = await import("./main.js");
  await main(argv);
}
