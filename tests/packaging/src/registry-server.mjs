// Runs a throwaway verdaccio for the packaging test, in its own process so the test can stop it for certain.
// Usage: node registry-server.mjs DIR. It serves only @adlkit/* (stored under DIR/storage, no uplink: every
// other package comes from the registry the machine is configured with), listens on a free loopback port and
// prints {"port": N} on its first stdout line.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { runServer } from "verdaccio";

const dir = path.resolve(process.argv[2] ?? ".");
mkdirSync(path.join(dir, "storage"), { recursive: true });
const configFile = path.join(dir, "config.yaml");
writeFileSync(
  configFile,
  `storage: ${JSON.stringify(path.join(dir, "storage"))}
auth:
  htpasswd:
    file: ${JSON.stringify(path.join(dir, "htpasswd"))}
    max_users: 10
uplinks: {}
packages:
  "@adlkit/*":
    access: $all
    publish: $authenticated
web:
  enable: false
log: { type: stdout, format: pretty, level: error }
`,
);
const app = await runServer(configFile);
const server = app.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
const stop = () => server.close(() => process.exit(0));
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
