// One measured operation of the official @azure/storage-file-datalake (Gen2), in its own process, unchanged apart
// from the endpoint (the emulator's path-style account URL), the credential and the CA (NODE_EXTRA_CA_CERTS, set
// by the harness). Input: JSON in argv[2]. Output: one JSON line, measured around the operation only (after
// start-up and token acquisition), like the other children.
import { readFileSync } from "node:fs";
import { ClientSecretCredential, emulatorCloud, scopeForResource } from "@adlkit/auth";
import { DataLakeServiceClient } from "@azure/storage-file-datalake";

/** @type {{ action: string, connectionFile: string, endpoint: string, filesystem: string, local: string, remote: string, concurrency: number }} */
const args = JSON.parse(process.argv[2] ?? "{}");
const connection = JSON.parse(readFileSync(args.connectionFile, "utf8"));
const cloud = emulatorCloud({ ...connection, caPem: readFileSync(connection.caCertificatePath, "utf8") });
// Any TokenCredential does for the SDK; this one is the same as our child's, so both load the same msal-node.
const credential = new ClientSecretCredential(
  connection.tenantId,
  connection.clientId,
  connection.clientSecret,
  {
    cloud,
  },
);
const file = new DataLakeServiceClient(args.endpoint, credential)
  .getFileSystemClient(args.filesystem)
  .getFileClient(args.remote.replace(/^\//, ""));
// Token first: the SDK's bearer policy then finds it in the credential's cache.
await credential.getToken(scopeForResource(cloud.storageAudience));

const cpu0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
/** @type {Record<string, unknown>} */
const out = {};
switch (args.action) {
  case "upload":
    // uploadFile: create, appends of chunkSize (default 8 MiB) with maxConcurrency in flight, one flush.
    await file.uploadFile(args.local, { maxConcurrency: args.concurrency });
    break;
  case "download":
    // readToFile has no concurrency option: one GET (Blob endpoint) streamed to the file, with its retries.
    await file.readToFile(args.local);
    break;
  default:
    throw new Error(`unknown action ${args.action}`);
}
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const cpu = process.cpuUsage(cpu0);
process.stdout.write(
  `${JSON.stringify({ ...out, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, cpuUser: cpu.user / 1e6, maxRssKiB: process.resourceUsage().maxRSS })}\n`,
);
