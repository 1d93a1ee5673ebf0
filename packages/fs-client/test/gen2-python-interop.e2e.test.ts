import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { readFixture } from "@adlkit/testkit";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Gen2FsClient } from "../src/index.js";
import { type Gen2Context, setupGen2 } from "./gen2-helpers.js";
import { bytes } from "./helpers.js";

/**
 * Debian's azure-storage-file-datalake (the official Python Gen2 SDK) reads what our Gen2FsClient wrote, with its
 * MD5 and ACL, and we read what it wrote, with the ACL it set. The JS SDK's half is in gen2-transfer.e2e.test.ts.
 */
const run = promisify(execFile);
const MiB = 1024 * 1024;
const script = path.join(path.dirname(fileURLToPath(import.meta.url)), "python/gen2_cross.py");
const sha = (data: Buffer) => createHash("sha256").update(data).digest("hex");
const md5 = (data: Buffer) => createHash("md5").update(data).digest("base64");
const USER = "0b7c7a52-7d43-4c3b-9a4e-2f7f3e0c9d11";
let t: Gen2Context;
let fs: Gen2FsClient;
let local: string;

/** Runs the Python SDK script (Debian's /usr/bin/python3, which has python3-azure); its last line is JSON. */
async function python(...args: string[]): Promise<Record<string, unknown>> {
  const { connection } = readFixture(inject("emulatorConnectionFile"));
  const { stdout } = await run("/usr/bin/python3", [script, ...args], {
    env: {
      PATH: "/usr/bin:/bin",
      HOME: local,
      PYTHONDONTWRITEBYTECODE: "1",
      EMU_URL: connection.url,
      EMU_TENANT: connection.tenantId,
      EMU_CLIENT_ID: connection.clientId,
      EMU_CLIENT_SECRET: connection.clientSecret,
      EMU_ACCOUNT_URL: t.endpoint,
      EMU_FILESYSTEM: t.filesystem,
      REQUESTS_CA_BUNDLE: connection.caCertificatePath,
    },
    maxBuffer: 16 * MiB,
  });
  return JSON.parse(stdout.trim().split("\n").at(-1) as string);
}

beforeAll(async () => {
  t = await setupGen2("g2py");
  fs = t.makeClient({ chunkSize: MiB, blockSize: 256 * 1024, concurrency: 4 });
  local = await mkdtemp(path.join(tmpdir(), "adlkit-gen2-py-"));
});
afterAll(async () => {
  await fs?.close();
  await t?.client.close();
  if (local) await rm(local, { recursive: true, force: true });
});

describe("our Gen2 client and the official Python SDK agree", () => {
  it("reads a file we uploaded in parallel ranges: bytes, the whole-file MD5 our flush stored, our ACL", async () => {
    const data = bytes(3 * MiB + 11, 61);
    const source = path.join(local, "ours.bin");
    await writeFile(source, data);
    await fs.put(source, "/py/ours.bin");
    await fs.setAcl("/py/ours.bin", `user::rw-,user:${USER}:r--,group::r--,mask::r--,other::---`);
    const seen = await python("read", "py/ours.bin");
    expect(seen).toMatchObject({ size: data.length, sha256: sha(data), content_md5: md5(data) });
    expect(String(seen.acl).split(",")).toContain(`user:${USER}:r--`);
    expect(seen.permissions).toBe("rw-r-----+"); // "+": the file has named ACL entries, as the service shows it
  });

  it("we read a file it uploaded in parallel chunks, and the ACL it set", async () => {
    const data = bytes(2 * MiB + 5, 62);
    const source = path.join(local, "theirs.bin");
    await writeFile(source, data);
    await fs.mkdir("/py/theirs");
    expect(await python("write", source, "py/theirs/file.bin")).toEqual({ size: data.length });
    expect(sha(await fs.cat("/py/theirs/file.bin"))).toBe(sha(data));
    const target = path.join(local, "theirs-by-us.bin");
    await fs.get("/py/theirs/file.bin", target);
    expect((await readFile(target)).equals(data)).toBe(true);
    await python(
      "set-acl",
      "py/theirs/file.bin",
      `user::rw-,group:${USER}:r-x,group::r--,mask::r-x,other::---`,
    );
    const status = await fs.getAclStatus("/py/theirs/file.bin");
    expect(status.entries).toContain(`group:${USER}:r-x`);
    expect((await fs.stat("/py/theirs/file.bin")).length).toBe(data.length);
  });
});
