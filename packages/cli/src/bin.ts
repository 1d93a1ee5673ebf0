#!/usr/bin/env node
// The entry point. `adl --version` is answered here, before anything else is loaded, so it stays fast; every
// other command line goes to main.ts, which loads only the command it runs.
import { readFileSync } from "node:fs";

const argv = process.argv.slice(2);
// The minimum is the package's `engines` (one place): older Nodes fail deep inside a dependency instead.
const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  version: string;
  engines: { node: string };
};
const minimum = /\d+\.\d+\.\d+/.exec(pkg.engines.node)?.[0] ?? "0.0.0";
if (olderThan(process.versions.node, minimum)) {
  process.stderr.write(`adl: Node.js ${minimum} or later is needed; this is ${process.version}.\n`);
  process.exitCode = 1;
} else if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) {
  process.stdout.write(`${pkg.version}\n`);
} else {
  // Before main.js: V8's compiled code of everything from here on is reused between runs.
  const { enableCompileCache } = await import("./compile-cache.js");
  enableCompileCache(process.env, pkg.version);
  const { main } = await import("./main.js");
  await main(argv);
}

function olderThan(version: string, minimum: string): boolean {
  const have = version.split(".").map(Number);
  const need = minimum.split(".").map(Number);
  for (let i = 0; i < 3; i++) if ((have[i] ?? 0) !== (need[i] ?? 0)) return (have[i] ?? 0) < (need[i] ?? 0);
  return false;
}
