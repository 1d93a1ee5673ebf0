import { buffer } from "node:stream/consumers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BadOffsetError,
  FsError,
  InvalidArgumentError,
  PathExistsError,
  PathNotFoundError,
} from "../src/index.js";
import { setup } from "./helpers.js";

const t = setup("ops");
const p = (name: string) => `${t.root}/${name}`;

beforeAll(async () => {
  await t.client.mkdir(t.root);
});
afterAll(async () => {
  await t.client.rm(t.root, { recursive: true, force: true });
  await t.client.close();
});

describe("status and directories", () => {
  it("GETFILESTATUS describes files and directories; MKDIRS creates parents", async () => {
    expect(await t.client.mkdirs(p("a/b/c"), { permission: "750" })).toBe(true);
    const dir = await t.client.getFileStatus(p("a/b/c"));
    expect(dir).toMatchObject({ type: "DIRECTORY", length: 0, permission: "750", path: p("a/b/c") });
    expect((await t.client.getFileStatus(p("a"))).type).toBe("DIRECTORY");
    await t.client.writeFile(p("a/f.txt"), "12345");
    const file = await t.client.getFileStatus(p("a/f.txt"));
    expect(file).toMatchObject({ type: "FILE", length: 5, blockSize: 268435456, replication: 1 });
  });

  it("throws PathNotFoundError with the server's message and request id", async () => {
    const err = await t.client.getFileStatus(p("missing")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PathNotFoundError);
    const fsErr = err as PathNotFoundError;
    expect(fsErr.message).toMatch(new RegExp(`^GETFILESTATUS ${p("missing")} failed: path does not exist`));
    expect(fsErr.requestId).toMatch(/[0-9a-f-]{36}/);
    expect(fsErr.serverMessage).toContain("does not exist");
    expect(fsErr.status).toBe(404);
    expect(await t.client.exists(p("missing"))).toBe(false);
    expect(await t.client.exists(p("a"))).toBe(true);
  });

  it("round-trips names with spaces, +, #, ?, % and non-ASCII characters", async () => {
    const name = "12,+3#456?x %41 über 日本.txt";
    await t.client.writeFile(p(`names/${name}`), "x");
    const names = [];
    for await (const entry of t.client.list(p("names"))) names.push(entry.pathSuffix);
    expect(names).toEqual([name]);
    expect((await t.client.cat(p(`names/${name}`))).toString()).toBe("x");
  });

  it("GETCONTENTSUMMARY totals a tree", async () => {
    await t.client.writeFile(p("sum/x"), "0123456789");
    await t.client.writeFile(p("sum/d/y"), "0123456789");
    expect(await t.client.getContentSummary(p("sum"))).toMatchObject({
      directoryCount: 2,
      fileCount: 2,
      length: 20,
      spaceConsumed: 20,
    });
  });
});

describe("writing", () => {
  it("CREATE refuses an existing file without overwrite and replaces it with overwrite", async () => {
    await t.client.create(p("w/c.txt"), { data: Buffer.from("first") });
    await expect(t.client.create(p("w/c.txt"), { data: Buffer.from("second") })).rejects.toBeInstanceOf(
      PathExistsError,
    );
    expect((await t.client.cat(p("w/c.txt"))).toString()).toBe("first");
    await t.client.create(p("w/c.txt"), { data: Buffer.from("2nd"), overwrite: true });
    expect((await t.client.cat(p("w/c.txt"))).toString()).toBe("2nd");
  });

  it("APPEND at the right offset grows the file; a wrong offset is a BadOffsetError and changes nothing", async () => {
    const { leaseId } = await t.client.create(p("w/app.txt"), { syncFlag: "DATA" });
    await t.client.append(p("w/app.txt"), Buffer.from("abc"), { offset: 0, syncFlag: "DATA", leaseId });
    const err = await t.client
      .append(p("w/app.txt"), Buffer.from("zzz"), { offset: 1, leaseId })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadOffsetError);
    expect((err as BadOffsetError).message).toMatch(/^APPEND .* failed: the offset does not match/);
    await t.client.append(p("w/app.txt"), Buffer.from("def"), { offset: 3, syncFlag: "CLOSE", leaseId });
    expect((await t.client.cat(p("w/app.txt"))).toString()).toBe("abcdef");
  });

  it("CONCURRENTAPPEND creates with autocreate and appends at the end", async () => {
    await t.client.concurrentAppend(p("w/conc.log"), Buffer.from("one\n"), { autoCreate: true });
    await t.client.concurrentAppend(p("w/conc.log"), Buffer.from("two\n"));
    expect((await t.client.cat(p("w/conc.log"))).toString()).toBe("one\ntwo\n");
  });

  it("MSCONCAT joins sources in order and deletes their directory", async () => {
    await t.client.writeFile(p("cc/seg/a"), "AAA");
    await t.client.writeFile(p("cc/seg/b"), "BB");
    await t.client.msConcat(p("cc/out"), [p("cc/seg/a"), p("cc/seg/b")], { deleteSourceDirectory: true });
    expect((await t.client.cat(p("cc/out"))).toString()).toBe("AAABB");
    expect(await t.client.exists(p("cc/seg"))).toBe(false);
    await expect(t.client.msConcat(p("cc/out"), [p("cc/out")])).rejects.toThrow(
      /must not include the destination/,
    );
  });

  it("writeFile spanning several blocks, and Node/Web write and read streams", async () => {
    const small = t.makeClient({ blockSize: 1000 });
    const data = Buffer.alloc(4500, 7);
    await small.writeFile(p("w/multi"), data);
    expect((await small.cat(p("w/multi"))).equals(data)).toBe(true);

    const ws = small.createWriteStream(p("w/stream.bin"));
    await new Promise<void>((resolve, reject) => {
      ws.on("error", reject);
      ws.on("finish", resolve);
      for (let i = 0; i < 10; i++) ws.write(Buffer.alloc(333, i));
      ws.end();
    });
    const expected = Buffer.concat(Array.from({ length: 10 }, (_, i) => Buffer.alloc(333, i)));
    expect((await buffer(small.createReadStream(p("w/stream.bin")))).equals(expected)).toBe(true);
    expect(
      (await buffer(small.createReadStream(p("w/stream.bin"), { start: 330, end: 339 }))).equals(
        expected.subarray(330, 340),
      ),
    ).toBe(true);

    const web = small.openWritableStream(p("w/web.bin"), { overwrite: true });
    const writer = web.getWriter();
    await writer.write(new Uint8Array([1, 2, 3]));
    await writer.close();
    const chunks: Uint8Array[] = [];
    for await (const chunk of small.openReadableStream(p("w/web.bin"))) chunks.push(chunk);
    expect(Buffer.concat(chunks)).toEqual(Buffer.from([1, 2, 3]));

    const appender = small.createWriteStream(p("w/web.bin"), { append: true });
    await new Promise<void>((resolve, reject) =>
      appender.end(Buffer.from([4]), (err?: Error | null) => (err ? reject(err) : resolve())),
    );
    expect(await small.cat(p("w/web.bin"))).toEqual(Buffer.from([1, 2, 3, 4]));
    await small.close();
  });
});

describe("reading", () => {
  it("OPEN ranges, cat, head and tail", async () => {
    await t.client.writeFile(p("r/digits"), "0123456789");
    expect((await buffer(await t.client.open(p("r/digits"), { offset: 2, length: 3 }))).toString()).toBe(
      "234",
    );
    expect((await t.client.head(p("r/digits"), 4)).toString()).toBe("0123");
    expect((await t.client.tail(p("r/digits"), 3)).toString()).toBe("789");
    expect((await t.client.tail(p("r/digits"), 100)).toString()).toBe("0123456789");
    await t.client.writeFile(p("r/empty"), "");
    expect((await t.client.cat(p("r/empty"))).length).toBe(0);
  });
});

describe("namespace", () => {
  it("RENAME moves and answers false for soft failures; mv turns them into errors", async () => {
    await t.client.writeFile(p("n/src"), "s");
    await t.client.writeFile(p("n/other"), "o");
    expect(await t.client.rename(p("n/src"), p("n/dst"))).toBe(true);
    expect(await t.client.exists(p("n/src"))).toBe(false);
    expect(await t.client.rename(p("n/nothing"), p("n/x"))).toBe(false);
    expect(await t.client.rename(p("n/dst"), p("n/other"))).toBe(false);
    await expect(t.client.mv(p("n/nothing"), p("n/x"))).rejects.toBeInstanceOf(PathNotFoundError);
    const err = await t.client.mv(p("n/dst"), p("n/other")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FsError);
    expect((err as FsError).code).toBe("OPERATION_FAILED");
    await t.client.mv(p("n/dst"), p("n/moved"));
    expect((await t.client.cat(p("n/moved"))).toString()).toBe("s");
  });

  it("DELETE needs recursive for a non-empty directory; rm of nothing throws unless forced", async () => {
    await t.client.writeFile(p("del/d/f"), "x");
    const err = await t.client.delete(p("del/d")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FsError);
    expect(await t.client.exists(p("del/d/f"))).toBe(true);
    expect(await t.client.delete(p("del/d"), { recursive: true })).toBe(true);
    expect(await t.client.delete(p("del/d"))).toBe(false);
    await expect(t.client.rm(p("del/d"))).rejects.toBeInstanceOf(PathNotFoundError);
    await t.client.rm(p("del/d"), { force: true });
  });

  it("SETEXPIRY sets and clears msExpirationTime", async () => {
    await t.client.writeFile(p("exp"), "x");
    const when = Date.now() + 3_600_000;
    await t.client.setExpiry(p("exp"), "Absolute", when);
    expect((await t.client.stat(p("exp"))).msExpirationTime).toBe(when);
    await t.client.setExpiry(p("exp"), "NeverExpire");
    expect((await t.client.stat(p("exp"))).msExpirationTime).toBe(0);
    await expect(t.client.setExpiry(p("exp"), "RelativeToNow")).rejects.toThrow(/expireTime/);
  });
});

describe("permissions and ACLs", () => {
  const user = "470c0ccf-c91a-4597-98cd-48507d2f1486";

  it("SETPERMISSION, SETOWNER, SETTIMES and CHECKACCESS", async () => {
    await t.client.writeFile(p("perm"), "x");
    await t.client.setPermission(p("perm"), "755");
    expect((await t.client.stat(p("perm"))).permission).toBe("755");
    await t.client.setOwner(p("perm"), { group: user });
    expect((await t.client.stat(p("perm"))).group).toBe(user);
    await t.client.setTimes(p("perm"), { modificationTime: 1_600_000_000_000 });
    expect((await t.client.stat(p("perm"))).modificationTime).toBe(1_600_000_000_000);
    expect(await t.client.checkAccess(p("perm"), "rwx")).toBe(true);
    await expect(t.client.setPermission(p("perm"), "99")).rejects.toThrow(InvalidArgumentError);
  });

  it("MODIFYACLENTRIES, REMOVEACLENTRIES, SETACL, REMOVEACL, REMOVEDEFAULTACL and (MS)GETACLSTATUS", async () => {
    await t.client.mkdir(p("acl"));
    await t.client.modifyAclEntries(p("acl"), `user:${user}:r-x`);
    let status = await t.client.getAclStatus(p("acl"));
    expect(status.entries).toContain(`user:${user}:r-x`);
    expect((await t.client.stat(p("acl"))).aclBit).toBe(true);
    await t.client.removeAclEntries(p("acl"), [`user:${user}`]);
    expect((await t.client.getAclStatus(p("acl"))).entries).not.toContain(`user:${user}:r-x`);
    await t.client.setAcl(p("acl"), `user::rwx,group::r-x,other::---,default:user:${user}:rwx`);
    status = await t.client.getAclStatus(p("acl"), { op: "GETACLSTATUS" });
    expect(status.entries.some((e) => e.startsWith("default:"))).toBe(true);
    await t.client.removeDefaultAcl(p("acl"));
    expect((await t.client.getAclStatus(p("acl"))).entries.some((e) => e.startsWith("default:"))).toBe(false);
    await t.client.modifyAclEntries(p("acl"), `user:${user}:rwx`);
    await t.client.removeAcl(p("acl"));
    expect((await t.client.getAclStatus(p("acl"))).entries).toEqual([
      "user::rwx",
      "group::r-x",
      "other::---",
    ]);
  });
});

describe("walk and glob", () => {
  it("walk visits every entry depth-first and glob matches paths", async () => {
    await t.client.writeFile(p("g/2024/01/a.csv"), "a");
    await t.client.writeFile(p("g/2024/02/b.csv"), "b");
    await t.client.writeFile(p("g/2024/02/c.json"), "c");
    const walked = [];
    for await (const entry of t.client.walk(p("g"))) walked.push(entry.path.slice(p("g").length));
    expect(walked).toEqual([
      "/2024",
      "/2024/01",
      "/2024/01/a.csv",
      "/2024/02",
      "/2024/02/b.csv",
      "/2024/02/c.json",
    ]);
    const csv = [];
    for await (const entry of t.client.glob(p("g/2024/*/*.csv"))) csv.push(entry.path.slice(p("g").length));
    expect(csv).toEqual(["/2024/01/a.csv", "/2024/02/b.csv"]);
    const deep = [];
    for await (const entry of t.client.glob(p("g/**/c.json"))) deep.push(entry.path.slice(p("g").length));
    expect(deep).toEqual(["/2024/02/c.json"]);
    const braces = [];
    for await (const entry of t.client.glob(p("g/2024/{01,{02,03}}/{*.csv,*.json}")))
      braces.push(entry.path.slice(p("g").length));
    expect(braces).toEqual(["/2024/01/a.csv", "/2024/02/b.csv", "/2024/02/c.json"]);
  });
});
