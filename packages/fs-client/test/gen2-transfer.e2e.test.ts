import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { DataLakeServiceClient } from "@azure/storage-file-datalake";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Gen2FsClient, openFileSystem, uploadStatePath } from "../src/index.js";
import { type Gen2Context, setupGen2 } from "./gen2-helpers.js";
import { bytes } from "./helpers.js";

const MiB = 1024 * 1024;
let t: Gen2Context;
let fs: Gen2FsClient;
let local: string;
let sdk: DataLakeServiceClient;

beforeAll(async () => {
  t = await setupGen2("g2xfer");
  fs = t.makeClient({ chunkSize: MiB, blockSize: 256 * 1024, concurrency: 4 });
  local = await mkdtemp(path.join(tmpdir(), "adlkit-gen2-"));
  // The official SDK, unchanged apart from endpoint, credential (ours: any TokenCredential) and the CA.
  sdk = new DataLakeServiceClient(t.endpoint, t.credential);
});
afterAll(async () => {
  await fs?.close();
  await t?.client.close();
  if (local) await rm(local, { recursive: true, force: true });
});

const sha = (data: Buffer) => createHash("sha256").update(data).digest("hex");

describe("Gen2 transfers", () => {
  it("uploads a large file as parallel verified appends, published only when complete, and downloads it", async () => {
    const data = bytes(5 * MiB + 123, 21);
    const source = path.join(local, "big.bin");
    await writeFile(source, data);
    const progress: number[] = [];
    const result = await fs.put(source, "/up/big.bin", {
      checksum: "sha256",
      onProgress: (p) => progress.push(p.bytesTransferred),
    });
    expect(result).toMatchObject({ kind: "file", bytes: data.length, sha256: sha(data) });
    expect(progress.at(-1)).toBe(data.length);
    const names = [];
    for await (const e of fs.list("/up")) names.push(e.pathSuffix);
    expect(names).toEqual(["big.bin"]); // no staging file left behind
    const target = path.join(local, "down", "big.bin");
    const down = await fs.get("/up/big.bin", target, { checksum: "sha256" });
    expect(down).toMatchObject({ kind: "file", bytes: data.length, sha256: sha(data) });
    expect((await readFile(target)).equals(data)).toBe(true);
    await expect(fs.put(source, "/up/big.bin")).rejects.toMatchObject({ code: "PATH_EXISTS" });
  });

  it("appends more than Gen1's 4 MiB at a time: 16 MiB by default, a call's own blockSize up to 100 MiB", async () => {
    const data = bytes(20 * MiB + 7, 34);
    const source = path.join(local, "wide-blocks.bin");
    await writeFile(source, data);
    const wide = t.makeClient({ chunkSize: 64 * MiB });
    try {
      const progress: number[] = [];
      // Progress moves once per accepted append: 16 MiB, then the rest.
      await wide.put(source, "/blocks/default.bin", { onProgress: (p) => progress.push(p.bytesTransferred) });
      expect([...new Set(progress.filter((n) => n > 0))]).toEqual([16 * MiB, data.length]);
      await wide.put(source, "/blocks/call.bin", { blockSize: 32 * MiB });
      for (const name of ["default", "call"])
        expect((await wide.cat(`/blocks/${name}.bin`)).equals(data)).toBe(true);
      await expect(wide.put(source, "/blocks/huge.bin", { blockSize: 101 * MiB })).rejects.toThrow(
        /blockSize must be an integer between 1 and 104857600/,
      );
    } finally {
      await wide.close();
    }
  });

  it("resumes an interrupted upload from its state file, sending only the missing chunks", async () => {
    const data = bytes(6 * MiB, 33);
    const source = path.join(local, "resume.bin");
    await writeFile(source, data);
    const abort = new AbortController();
    const first = fs.put(source, "/resume/file.bin", {
      concurrency: 1,
      keepPartialOnAbort: true,
      abortSignal: abort.signal,
      onProgress: (p) => {
        if (p.bytesTransferred >= 2 * MiB) abort.abort();
      },
    });
    await expect(first).rejects.toMatchObject({ name: "AbortError" });
    const state = JSON.parse(await readFile(uploadStatePath(source), "utf8"));
    expect(state.completed.length).toBeGreaterThan(0);
    expect(await fs.exists("/resume/file.bin")).toBe(false);
    const result = await fs.put(source, "/resume/file.bin");
    expect(result.kind === "file" && result.resumedBytes).toBeGreaterThan(0);
    expect((await fs.cat("/resume/file.bin")).equals(data)).toBe(true);
  });

  it("uploads and downloads a tree, through an abfss:// location", async () => {
    const tree = path.join(local, "tree");
    await mkdir(path.join(tree, "a", "b"), { recursive: true });
    await writeFile(path.join(tree, "top.txt"), "top");
    await writeFile(path.join(tree, "a", "b", "deep.bin"), bytes(2 * MiB + 5, 4));
    await mkdir(path.join(tree, "empty"));
    const { client, path: root } = openFileSystem(`abfss://${t.filesystem}@${t.account}/trees/one`, {
      credential: t.credential,
      cloud: t.cloud,
      chunkSize: MiB,
    });
    try {
      expect(client.protocol).toBe("gen2");
      const up = await client.put(tree, root);
      expect(up).toMatchObject({ kind: "tree", files: 2, directories: 1 });
      const back = path.join(local, "tree-back");
      const down = await client.get(root, back);
      expect(down).toMatchObject({ kind: "tree", files: 2 });
      expect((await readFile(path.join(back, "a", "b", "deep.bin"))).equals(bytes(2 * MiB + 5, 4))).toBe(
        true,
      );
      expect(await readFile(path.join(back, "top.txt"), "utf8")).toBe("top");
    } finally {
      await client.close();
    }
  });
});

describe("interop with the official @azure/storage-file-datalake", () => {
  it("reads what we wrote, including the MD5 our flush stored", async () => {
    const data = bytes(3 * MiB + 7, 8);
    await fs.writeFile("/interop/ours.bin", data);
    const file = sdk.getFileSystemClient(t.filesystem).getFileClient("interop/ours.bin");
    const read = await file.readToBuffer();
    expect(read.equals(data)).toBe(true);
    const props = await file.getProperties();
    expect(Buffer.from(props.contentMD5 as Uint8Array).toString("base64")).toBe(
      createHash("md5").update(data).digest("base64"),
    );
    const source = path.join(local, "interop.bin");
    await writeFile(source, data);
    await fs.put(source, "/interop/put.bin");
    expect(
      (await sdk.getFileSystemClient(t.filesystem).getFileClient("interop/put.bin").readToBuffer()).equals(
        data,
      ),
    ).toBe(true);
  });

  it("we read what it wrote, and its ACLs", async () => {
    const data = bytes(2 * MiB + 1, 12);
    const fsClient = sdk.getFileSystemClient(t.filesystem);
    await fsClient.getDirectoryClient("theirs").create();
    const file = fsClient.getFileClient("theirs/file.bin");
    await file.upload(data, { chunkSize: 512 * 1024, maxConcurrency: 4 });
    expect((await fs.cat("/theirs/file.bin")).equals(data)).toBe(true);
    const target = path.join(local, "theirs.bin");
    await fs.get("/theirs/file.bin", target);
    expect((await readFile(target)).equals(data)).toBe(true);
    const user = "12345678-1234-1234-1234-123456789012";
    await file.setAccessControl([
      {
        accessControlType: "user",
        entityId: "",
        defaultScope: false,
        permissions: { read: true, write: true, execute: false },
      },
      {
        accessControlType: "user",
        entityId: user,
        defaultScope: false,
        permissions: { read: true, write: false, execute: false },
      },
      {
        accessControlType: "group",
        entityId: "",
        defaultScope: false,
        permissions: { read: true, write: false, execute: false },
      },
      {
        accessControlType: "mask",
        entityId: "",
        defaultScope: false,
        permissions: { read: true, write: false, execute: false },
      },
      {
        accessControlType: "other",
        entityId: "",
        defaultScope: false,
        permissions: { read: false, write: false, execute: false },
      },
    ]);
    expect((await fs.getAclStatus("/theirs/file.bin")).entries).toContain(`user:${user}:r--`);
    await fs.modifyAclEntries("/theirs/file.bin", `group:${user}:r--`);
    const theirView = await file.getAccessControl();
    expect(theirView.acl.some((e) => e.accessControlType === "group" && e.entityId === user)).toBe(true);
  });
});

describe("Gen2 credentials", () => {
  it("Shared Key signs every request (the official SDK reads what we wrote with it)", async () => {
    const key = t.makeClient({ credential: { accountName: t.account, accountKey: await t.accountKey() } });
    try {
      await key.mkdir("/sharedkey/dir with space");
      await key.writeFile("/sharedkey/dir with space/f+1.txt", "signed");
      expect((await key.cat("/sharedkey/dir with space/f+1.txt")).toString()).toBe("signed");
      const names = [];
      for await (const e of key.list("/sharedkey", { recursive: true })) names.push(e.path);
      expect(names).toEqual(["/sharedkey/dir with space", "/sharedkey/dir with space/f+1.txt"]);
      expect((await key.stat("/sharedkey/dir with space/f+1.txt")).owner).toBe("$superuser");
    } finally {
      await key.close();
    }
  });

  it("a wrong key is AccessDeniedError", async () => {
    const bad = t.makeClient({
      credential: { accountName: t.account, accountKey: Buffer.alloc(64, 1).toString("base64") },
      retry: false,
    });
    try {
      await expect(bad.stat("/")).rejects.toMatchObject({ code: "ACCESS_DENIED" });
    } finally {
      await bad.close();
    }
  });
});
