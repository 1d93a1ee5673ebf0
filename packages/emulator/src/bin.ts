#!/usr/bin/env node
// The entry point. The Node version is checked before the emulator is loaded (a dynamic import): on an older
// Node a static import would fail first, on a missing built-in (node:sqlite) or a dependency's API.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  version: string;
  engines: { node: string };
};

const USAGE = `Usage: adl-emulator start [--port N] [--data DIR] [--config FILE]

Runs a local HTTPS Entra ID, Azure Resource Manager and Data Lake Store Gen1 filesystem in the foreground.

Options:
  --port N       TCP port on 127.0.0.1 (0 picks a free one)       [default: 8443]
  --data DIR     where certificates, identity and data are kept   [default: ./.adl-emulator]
  --config FILE  JSON settings: tenants, applications, accounts, token lifetime, ARM paging and delays
  -V, --version  print the version
  -h, --help     show this help
`;

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (err) {
    process.stderr.write(`adl-emulator: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (values.version) {
    process.stdout.write(`${pkg.version}\n`);
    return 0;
  }
  if (positionals[0] !== "start" || positionals.length > 1) {
    process.stderr.write(`adl-emulator: expected the command 'start'\n\n${USAGE}`);
    return 2;
  }
  const port = Number(values.port ?? 8443);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(
      `adl-emulator: --port must be an integer between 0 and 65535, got '${values.port}'\n`,
    );
    return 2;
  }
  const { setHeapGrowth } = await import("./heap-growth.js");
  setHeapGrowth();
  const { startEmulator } = await import("./start.js");
  const emulator = await startEmulator({
    port,
    dataDir: values.data ?? ".adl-emulator",
    ...(values.config ? { configFile: values.config } : {}),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`adl-emulator: connection details in ${emulator.connectionFile}\n`);
  process.stdout.write(
    `adl-emulator: CA certificate at ${emulator.connection.caCertificatePath} (NODE_EXTRA_CA_CERTS / REQUESTS_CA_BUNDLE)\n`,
  );
  // On stdout, for the user who started it (never in the log, which goes to stderr): they hold account keys.
  for (const { account, connectionString } of emulator.storageConnectionStrings())
    process.stdout.write(`adl-emulator: storage account ${account}: ${connectionString}\n`);
  process.stdout.write(`adl-emulator: ready at ${emulator.url} (port ${emulator.port})\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await emulator.close();
  return 0;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: "string" },
      data: { type: "string" },
      config: { type: "string" },
      help: { type: "boolean", short: "h" },
      version: { type: "boolean", short: "V" },
    },
  });
}

// The minimum is the package's `engines` (one place).
const minimum = /\d+\.\d+\.\d+/.exec(pkg.engines.node)?.[0] ?? "0.0.0";
if (olderThan(process.versions.node, minimum)) {
  process.stderr.write(`adl-emulator: Node.js ${minimum} or later is needed; this is ${process.version}.\n`);
  process.exitCode = 1;
} else {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: Error) => {
      process.stderr.write(`adl-emulator: ${err.message}\n`);
      process.exitCode = 1;
    },
  );
}

function olderThan(version: string, minimum: string): boolean {
  const have = version.split(".").map(Number);
  const need = minimum.split(".").map(Number);
  for (let i = 0; i < 3; i++) if ((have[i] ?? 0) !== (need[i] ?? 0)) return (have[i] ?? 0) < (need[i] ?? 0);
  return false;
}
