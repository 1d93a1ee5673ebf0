import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNT, bytes, setup } from "./helpers.js";

const run = promisify(execFile);
const MiB = 1024 * 1024;
const script = path.join(path.dirname(fileURLToPath(import.meta.url)), "python/cross_client.py");
const t = setup("py");
const client = t.makeClient({ chunkSize: MiB, blockSize: 256 * 1024 });
const sha = (data: Buffer) => createHash("sha256").update(data).digest("hex");
let dir: string;

/** Runs the official Python SDK (Debian's python3-azure-datalake-store, so /usr/bin/python3 explicitly). */
async function python(...args: string[]): Promise<unknown> {
  const { connection } = t.fixture;
  const { stdout } = await run("/usr/bin/python3", [script, ...args], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      EMU_URL: connection.url,
      EMU_TENANT: connection.tenantId,
      EMU_CLIENT_ID: connection.clientId,
      EMU_SECRET: connection.clientSecret,
      EMU_PORT: String(connection.port),
      EMU_ACCOUNT: ACCOUNT,
      REQUESTS_CA_BUNDLE: connection.caCertificatePath,
    },
    maxBuffer: 16 * MiB,
  });
  return JSON.parse(stdout.trim().split("\n").at(-1) as string);
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "fs-client-py-"));
  await client.mkdir(t.root);
});
afterAll(async () => {
  await client.rm(t.root, { recursive: true, force: true });
  await client.close();
  await rm(dir, { recursive: true, force: true });
});

describe("our client and the official Python SDK agree", () => {
  it("a multi-segment file uploaded by us is read back byte-identical by ADLDownloader and AzureDLFile", async () => {
    const data = bytes(5 * MiB + 3, 51);
    const local = path.join(dir, "ours.bin");
    await writeFile(local, data);
    await client.put(local, `${t.root}/ours.bin`);
    const back = path.join(dir, "ours-by-python.bin");
    await python("download", `${t.root}/ours.bin`, back);
    expect(sha(await readFile(back))).toBe(sha(data));
    expect(await python("sha256", `${t.root}/ours.bin`)).toEqual({ sha256: sha(data) });
  });

  it("a multi-segment file uploaded by ADLUploader is read back byte-identical by us", async () => {
    const data = bytes(3 * MiB + 5, 52);
    const local = path.join(dir, "theirs.bin");
    await writeFile(local, data);
    await python("upload", local, `${t.root}/theirs.bin`);
    expect(sha(await client.cat(`${t.root}/theirs.bin`))).toBe(sha(data));
    const back = path.join(dir, "theirs-by-us.bin");
    await client.get(`${t.root}/theirs.bin`, back);
    expect((await readFile(back)).equals(data)).toBe(true);
    const names: string[] = [];
    for await (const entry of client.list(t.root)) names.push(entry.pathSuffix);
    expect(names.filter((n) => n.includes(".segments"))).toEqual([]);
  });

  it("names with reserved characters written by one side are found by the other", async () => {
    const name = "a b+c#d?,é.txt";
    await python("write", `${t.root}/names/${name}`, "from python");
    expect((await client.cat(`${t.root}/names/${name}`)).toString()).toBe("from python");
    await client.writeFile(`${t.root}/names/ours ${name}`, "from node");
    expect(await python("ls", `${t.root}/names`)).toEqual([
      `${t.root.slice(1)}/names/${name}`,
      `${t.root.slice(1)}/names/ours ${name}`,
    ]);
  });
});
