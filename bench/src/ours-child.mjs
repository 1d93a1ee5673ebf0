// One measured operation of @adlkit/fs-client, in its own process so that its peak RSS and CPU are its own.
// Input: JSON in argv[2]. Output: one JSON line on stdout with the operation's wall time and CPU seconds
// (measured around the operation only: after start-up and token acquisition, like the Python child).
import { createWriteStream, readFileSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { ClientSecretCredential, emulatorCloud, scopeForResource } from "@adlkit/auth";
import { copy, createFsClient, Gen2FsClient } from "@adlkit/fs-client";

/** @type {{ action: string, connectionFile: string, account: string, filesystem?: string, md5?: string, local?: string, remote?: string, concurrency?: number, chunkSize?: number, blockSize?: number, expect?: number, gen2Account?: string, target?: string, stateFile?: string }} */
const args = JSON.parse(process.argv[2] ?? "{}");
const connection = JSON.parse(readFileSync(args.connectionFile, "utf8"));
const caPem = readFileSync(connection.caCertificatePath, "utf8");
const cloud = emulatorCloud({ ...connection, caPem });
const credential = new ClientSecretCredential(
  connection.tenantId,
  connection.clientId,
  connection.clientSecret,
  { cloud },
);
// Actions gen2-* use a Gen2 storage account (`filesystem` in it), the others the Gen1 account.
const gen2 = args.action.startsWith("gen2-");
const common = {
  credential,
  accountName: args.account,
  cloud,
  // This child owns its process and only moves bytes: the case gcPacing is for (the adl CLI is the other).
  gcPacing: true,
  ...(args.concurrency ? { concurrency: args.concurrency } : {}),
  ...(args.chunkSize ? { chunkSize: args.chunkSize } : {}),
  ...(args.blockSize ? { blockSize: args.blockSize } : {}),
};
const client = gen2
  ? new Gen2FsClient({ ...common, filesystem: args.filesystem ?? "", ...(args.md5 ? { md5: args.md5 } : {}) })
  : createFsClient(common);
// "migrate": copy() from the Gen1 account to `filesystem` of the Gen2 account `gen2Account`.
const target =
  args.action === "migrate"
    ? new Gen2FsClient({ ...common, accountName: args.gen2Account ?? "", filesystem: args.filesystem ?? "" })
    : undefined;
// Token first (the Python child also fetches its token before the clock starts).
await credential.getToken(scopeForResource(gen2 ? cloud.storageAudience : cloud.dataLakeAudience));
if (target) await credential.getToken(scopeForResource(cloud.storageAudience));

/** Runs `fn` over `items` with `limit` workers. */
async function pool(items, limit, fn) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

const memoryAfterToken = process.memoryUsage();
const cpu0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
/** @type {Record<string, unknown>} */
const out = {};
switch (args.action) {
  case "gen2-upload":
  case "upload": {
    const r = await client.put(args.local, args.remote, { overwrite: true, resume: false });
    out.bytes = r.bytes;
    break;
  }
  case "gen2-download":
  case "download": {
    const r = await client.get(args.remote, args.local, { overwrite: true, resume: false });
    out.bytes = r.bytes;
    break;
  }
  case "download-stream": {
    // Diagnostic: one stream (createReadStream piped into a local file), the shape of curl's download.
    await pipeline(client.createReadStream(args.remote), createWriteStream(args.local));
    break;
  }
  case "list": {
    let n = 0;
    for await (const entry of client.list(args.remote)) if (entry.path) n++;
    out.entries = n;
    break;
  }
  case "small": {
    // Phase 1: the tree upload; phase 2: GETFILESTATUS of every file with the same number of workers.
    if (args.mode === "writeFile") {
      // Diagnostic: one CREATE with the bytes per file (client.writeFile), 8 workers, no state files.
      const names = await readdir(args.local);
      await client.mkdir(args.remote);
      await pool(names, args.concurrency ?? 8, async (name) => {
        await client.writeFile(`${args.remote}/${name}`, await readFile(path.join(args.local, name)), {
          overwrite: true,
        });
      });
      out.files = names.length;
    } else {
      const r = await client.put(args.local, args.remote, { overwrite: true, resume: false });
      out.files = r.kind === "tree" ? r.files : 1;
    }
    const t1 = process.hrtime.bigint();
    out.uploadSeconds = Number(t1 - t0) / 1e9;
    const names = await readdir(args.local);
    let ok = 0;
    await pool(names, args.concurrency ?? 8, async (name) => {
      const s = await client.stat(`${args.remote}/${name}`);
      if (s.type === "FILE") ok++;
    });
    out.stated = ok;
    out.statSeconds = Number(process.hrtime.bigint() - t1) / 1e9;
    break;
  }
  case "migrate": {
    // The library copy as a migration runs it: recursive, preserve by default (ACLs, owners, permissions).
    const r = await copy(
      { client, path: args.remote },
      { client: target, path: args.target },
      { recursive: true, resume: false, stateFile: args.stateFile, concurrency: args.concurrency },
    );
    Object.assign(out, {
      files: r.files,
      directories: r.directories,
      bytes: r.bytes,
      failed: r.failed,
      aclsCarried: r.acls.carried,
      notCarried: r.acls.notCarried,
    });
    if (r.failed > 0) {
      process.stderr.write(`${r.failed} items failed: ${JSON.stringify(r.failures.slice(0, 3))}\n`);
      process.exitCode = 1;
    }
    break;
  }
  default:
    throw new Error(`unknown action ${args.action}`);
}
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const cpu = process.cpuUsage(cpu0);
await client.close();
await target?.close();
process.stdout.write(
  `${JSON.stringify({ ...out, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, cpuUser: cpu.user / 1e6, maxRssKiB: process.resourceUsage().maxRSS, memoryAfterToken, memoryAtEnd: process.memoryUsage() })}\n`,
);
