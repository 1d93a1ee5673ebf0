import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AccessDeniedError,
  BadOffsetError,
  type Gen2FsClient,
  PathExistsError,
  PathNotFoundError,
} from "../src/index.js";
import { type Gen2Context, setupGen2 } from "./gen2-helpers.js";
import { bytes } from "./helpers.js";

let t: Gen2Context;
let fs: Gen2FsClient;

beforeAll(async () => {
  t = await setupGen2("g2ops");
  fs = t.client;
});
afterAll(async () => {
  await fs?.close();
});

describe("Gen2 namespace", () => {
  it("creates directories with parents, stats them and files, with ETags", async () => {
    await fs.mkdir("/a/b/c");
    const dir = await fs.stat("/a/b");
    expect(dir).toMatchObject({ path: "/a/b", type: "DIRECTORY", length: 0 });
    expect(dir.etag).toMatch(/^0x[0-9A-F]+$/);
    await fs.writeFile("/a/b/f.txt", "hello gen2");
    const file = await fs.stat("/a/b/f.txt");
    expect(file).toMatchObject({ type: "FILE", length: 10 });
    expect(await fs.exists("/a/nothing")).toBe(false);
    await expect(fs.stat("/a/nothing")).rejects.toBeInstanceOf(PathNotFoundError);
    await fs.mkdir("/a/b"); // fine if it exists
  });

  it("sets permissions exactly on mkdir (umask 0000), sticky bit included", async () => {
    await fs.mkdir("/perm/d1", { permission: "1750" });
    expect((await fs.stat("/perm/d1")).permission).toBe("1750");
  });

  it("lists pages with continuation, lazily and recursively", async () => {
    await fs.mkdir("/list/sub");
    for (let i = 0; i < 7; i++) await fs.writeFile(`/list/f${i}`, `x${i}`);
    await fs.writeFile("/list/sub/inner", "in");
    const names = [];
    for await (const e of fs.list("/list")) names.push(e.pathSuffix);
    expect(names).toEqual(["f0", "f1", "f2", "f3", "f4", "f5", "f6", "sub"]);
    const pages = [];
    for await (const page of fs.list("/list").byPage({ maxPageSize: 3 }))
      pages.push(page.map((e) => e.pathSuffix));
    expect(pages).toEqual([
      ["f0", "f1", "f2"],
      ["f3", "f4", "f5"],
      ["f6", "sub"],
    ]);
    const first = await fs.listPage("/list", { maxResults: 5 });
    expect(first.continuationToken).toBeTruthy();
    const rest = await fs.listPage("/list", {
      maxResults: 5,
      continuation: first.continuationToken as string,
    });
    expect(rest.map((e) => e.path)).toEqual(["/list/f5", "/list/f6", "/list/sub"]);
    const all = [];
    for await (const e of fs.walk("/list")) all.push(e.path);
    expect(all).toContain("/list/sub/inner");
    expect(all.indexOf("/list/sub")).toBeLessThan(all.indexOf("/list/sub/inner"));
    const globbed = [];
    for await (const e of fs.glob("/list/f[0-2]")) globbed.push(e.path);
    expect(globbed).toEqual(["/list/f0", "/list/f1", "/list/f2"]);
  });

  it("renames atomically, refuses an existing destination without overwrite, moves into directories", async () => {
    await fs.writeFile("/mv/src", "one");
    await fs.writeFile("/mv/other", "two");
    await expect(fs.mv("/mv/src", "/mv/other")).rejects.toBeInstanceOf(PathExistsError);
    await fs.mv("/mv/src", "/mv/other", { overwrite: true });
    expect((await fs.cat("/mv/other")).toString()).toBe("one");
    await fs.mkdir("/mv/dir");
    await fs.mv("/mv/other", "/mv/dir");
    expect((await fs.cat("/mv/dir/other")).toString()).toBe("one");
    await fs.mv("/mv/dir", "/mv/renamed");
    expect(await fs.exists("/mv/renamed/other")).toBe(true);
    await expect(fs.mv("/mv/missing", "/mv/x")).rejects.toBeInstanceOf(PathNotFoundError);
  });

  it("deletes files and trees; a non-empty directory needs recursive", async () => {
    await fs.writeFile("/rm/d/e/f", "x");
    await expect(fs.rm("/rm/d")).rejects.toMatchObject({ code: "DIRECTORY_NOT_EMPTY" });
    await fs.rm("/rm/d", { recursive: true });
    expect(await fs.exists("/rm/d")).toBe(false);
    await expect(fs.rm("/rm/d")).rejects.toBeInstanceOf(PathNotFoundError);
    await fs.rm("/rm/d", { force: true });
    await expect(fs.rm("/")).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
  });
});

describe("Gen2 content", () => {
  it("reads ranges, head, tail and streams", async () => {
    const data = bytes(300_000, 5);
    await fs.writeFile("/read/blob", data);
    expect((await fs.cat("/read/blob")).equals(data)).toBe(true);
    expect((await fs.head("/read/blob", 100)).equals(data.subarray(0, 100))).toBe(true);
    expect((await fs.tail("/read/blob", 100)).equals(data.subarray(-100))).toBe(true);
    const parts: Buffer[] = [];
    for await (const chunk of fs.createReadStream("/read/blob", { start: 1000, end: 200_999 }))
      parts.push(chunk);
    expect(Buffer.concat(parts).equals(data.subarray(1000, 201_000))).toBe(true);
    expect((await fs.cat("/read/blob-empty").catch((e) => e)) instanceof PathNotFoundError).toBe(true);
    await fs.writeFile("/read/empty", "");
    expect((await fs.cat("/read/empty")).length).toBe(0);
  });

  it("writes with create + appends + one flush; a write stream is invisible until it ends", async () => {
    const data = bytes(9 * 1024 * 1024 + 17, 9);
    const small = t.makeClient({ blockSize: 1024 * 1024 });
    try {
      await small.writeFile("/write/multi", data);
      expect((await small.cat("/write/multi")).equals(data)).toBe(true);
      await expect(small.writeFile("/write/multi", "x")).rejects.toBeInstanceOf(PathExistsError);
      await small.writeFile("/write/multi", "x", { overwrite: true });
      expect((await small.cat("/write/multi")).toString()).toBe("x");
      const stream = small.createWriteStream("/write/stream");
      await new Promise<void>((resolve, reject) => {
        stream.on("error", reject);
        stream.write(data.subarray(0, 3 * 1024 * 1024), () => {
          small.stat("/write/stream").then((s) => {
            expect(s.length).toBe(0);
            stream.end(data.subarray(3 * 1024 * 1024), resolve);
          }, reject);
        });
      });
      expect((await small.cat("/write/stream")).equals(data)).toBe(true);
    } finally {
      await small.close();
    }
  });

  it("appends at positions in any order; a flush that does not tile is a BadOffsetError", async () => {
    await fs.create("/pos/file");
    await fs.append("/pos/file", 5, Buffer.from("world"));
    await fs.append("/pos/file", 0, Buffer.from("hello"));
    await expect(fs.flush("/pos/file", 11)).rejects.toBeInstanceOf(BadOffsetError);
    await fs.append("/pos/file", 5, Buffer.from("world"));
    await fs.append("/pos/file", 0, Buffer.from("hello"));
    const etag = await fs.flush("/pos/file", 10);
    expect(etag).toBe((await fs.stat("/pos/file")).etag);
    expect((await fs.cat("/pos/file")).toString()).toBe("helloworld");
  });

  it("refuses an append whose Content-MD5 does not match its bytes", async () => {
    await fs.create("/md5/file");
    await expect(
      fs.append("/md5/file", 0, Buffer.from("abc"), { contentMd5: "1B2M2Y8AsgTpgAmY7PhCfg==" }),
    ).rejects.toMatchObject({ exception: "Md5Mismatch", status: 400 });
  });
});

describe("Gen2 access control", () => {
  const user = "11111111-2222-3333-4444-555555555555";
  const group = "99999999-8888-7777-6666-555555555555";

  it("gets, sets, modifies and removes ACL entries; permission and owner", async () => {
    await fs.mkdir("/acl/d");
    await fs.setAcl("/acl/d", `user::rwx,group::r-x,other::---,user:${user}:r-x`);
    let status = await fs.getAclStatus("/acl/d");
    expect(status.entries).toContain(`user:${user}:r-x`);
    await fs.modifyAclEntries("/acl/d", [`group:${group}:rwx`, `default:user:${user}:r--`]);
    status = await fs.getAclStatus("/acl/d");
    expect(status.entries).toEqual(
      expect.arrayContaining([`user:${user}:r-x`, `group:${group}:rwx`, `default:user:${user}:r--`]),
    );
    await fs.removeAclEntries("/acl/d", [`user:${user}`]);
    status = await fs.getAclStatus("/acl/d");
    expect(status.entries.some((e) => e.startsWith(`user:${user}`))).toBe(false);
    await fs.removeDefaultAcl("/acl/d");
    expect((await fs.getAclStatus("/acl/d")).entries.some((e) => e.startsWith("default:"))).toBe(false);
    await fs.removeAcl("/acl/d");
    expect((await fs.getAclStatus("/acl/d")).entries.every((e) => /^(user|group|other)::/.test(e))).toBe(
      true,
    );
    await fs.setPermission("/acl/d", "1751");
    expect(await fs.getAclStatus("/acl/d")).toMatchObject({ permission: "1751", stickyBit: true });
    await fs.setOwner("/acl/d", { group });
    expect((await fs.getAclStatus("/acl/d")).group).toBe(group);
    await expect(fs.setAcl("/acl/d", "user::rwx,bogus")).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
  });

  it("changes ACLs of a tree in batches, following the continuation, and resumes with it", async () => {
    for (let i = 0; i < 5; i++) await fs.writeFile(`/racl/d${i % 2}/f${i}`, "x");
    const batches: number[] = [];
    const result = await fs.modifyAclRecursive("/racl", `user:${user}:r-x`, {
      batchSize: 2,
      onProgress: (p) => batches.push(p.directoriesSuccessful + p.filesSuccessful),
    });
    expect(result).toMatchObject({ directoriesSuccessful: 3, filesSuccessful: 5, failureCount: 0 });
    expect(result.continuation).toBeUndefined();
    expect(batches.length).toBeGreaterThanOrEqual(4);
    expect((await fs.getAclStatus("/racl/d1/f3")).entries).toContain(`user:${user}:r-x`);
    const partial = await fs.removeAclRecursive("/racl", `user:${user}`, { batchSize: 3, maxBatches: 1 });
    expect(partial.continuation).toBeTruthy();
    const rest = await fs.removeAclRecursive("/racl", `user:${user}`, {
      batchSize: 3,
      continuation: partial.continuation,
    });
    expect(
      partial.filesSuccessful +
        partial.directoriesSuccessful +
        rest.filesSuccessful +
        rest.directoriesSuccessful,
    ).toBe(8);
    expect((await fs.getAclStatus("/racl/d1/f3")).entries.some((e) => e.includes(user))).toBe(false);
  });

  it("a client without rights gets AccessDeniedError", async () => {
    const sas = t.makeClient({ credential: { sas: "sv=2025-01-05&sp=r&sig=AAAA" } });
    try {
      await expect(sas.writeFile("/denied", "x")).rejects.toBeInstanceOf(AccessDeniedError);
    } finally {
      await sas.close();
    }
  });
});
