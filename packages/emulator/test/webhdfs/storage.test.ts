import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type FsFixture, startFsFixture } from "../helpers/webhdfs-fixture.js";
import { enc, expectBoolean, expectRemote, fsCalls } from "./fs-calls.js";

let fx: FsFixture;
let fs: ReturnType<typeof fsCalls>;
beforeAll(async () => {
  fx = await startFsFixture();
  fs = fsCalls(fx);
});
afterAll(() => fx?.close());

/** Every file below `dir`, relative. */
function filesBelow(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.relative(dir, path.join(d.parentPath, d.name)));
}

describe("paths never reach the host file system", () => {
  test("'..' segments, raw or percent-encoded, are 400", async () => {
    for (const raw of ["/a/../b", "/%2e%2e/x", "/a/%2E%2E/%2e%2e/etc", "/%2F..%2Fescape", "/.."]) {
      expectRemote(
        await fx.rawCall("PUT", `${raw}?op=CREATE&write=true&overwrite=true`, "x"),
        400,
        "IllegalArgumentException",
      );
    }
    expect(await fs.names("/")).not.toContain("..");
    expect(await fs.names("/")).not.toContain("b");
    expect(await fs.exists("/x")).toBe(false);
  });

  test("NUL, DEL and other control characters, bad escapes and over-long names are 400", async () => {
    for (const raw of [
      "/nul%00name",
      "/del%7Fname",
      "/tab%09name",
      "/bad%zzescape",
      "/bad%C3",
      `/${"n".repeat(256)}`,
    ]) {
      expectRemote(
        await fx.rawCall("PUT", `${raw}?op=CREATE&write=true&overwrite=true`),
        400,
        "IllegalArgumentException",
      );
    }
    expect((await fx.call("PUT", `/${"n".repeat(255)}`, "op=CREATE&write=true&overwrite=true")).status).toBe(
      201,
    );
  });

  test("backslashes and dots inside names are just names", async () => {
    const odd = "..\\..\\etc\\passwd";
    expect((await fs.create(`/safe/${odd}`, "not a host path")).status).toBe(201);
    expect((await fs.create("/safe/...", "three dots")).status).toBe(201);
    expect(await fs.names("/safe")).toEqual(["...", odd].sort());
    expect(await fs.content(`/safe/${odd}`)).toBe("not a host path");
  });

  test("file bytes live in blobs named by internal ids under DIR/fs/{account}", async () => {
    await fs.create("/blobs/visible-name.txt", "payload");
    const accountDir = path.join(fx.emu.dataDir, "fs", fx.account);
    const files = filesBelow(accountDir);
    expect(files.some((f) => f.includes("visible-name"))).toBe(false);
    for (const file of files) expect(file).toMatch(/^(metadata\.db(-wal|-shm)?|blobs\/[0-9a-f]{32})$/);
    expect(filesBelow(fx.emu.dataDir).some((f) => f.includes("passwd") || f.includes("visible-name"))).toBe(
      false,
    );
  });
});

describe("storage", () => {
  test("acknowledged writes survive a restart of the emulator", async () => {
    await fs.create("/durable/f", undefined, "overwrite=true&syncFlag=DATA&leaseid=L");
    await fs.append("/durable/f", "first-", "offset=0&syncFlag=DATA&leaseid=L");
    await fs.append("/durable/f", "second", "offset=6&syncFlag=CLOSE&leaseid=L");
    await fs.op("PUT", "/durable/f", "op=SETPERMISSION&permission=750");
    const before = await fs.fileStatus("/durable/f");
    await fx.emu.restart();
    expect(await fs.content("/durable/f")).toBe("first-second");
    expect(await fs.fileStatus("/durable/f")).toEqual(before);
    expect((await fs.append("/durable/f", "+", "offset=12")).status).toBe(200);
    expect(await fs.content("/durable/f")).toBe("first-second+");
  });

  test("concurrent APPENDs at the same offset: exactly one wins, the rest get BadOffset", async () => {
    await fs.create("/race/f", "start");
    const bodies = ["AAAA", "BBBB", "CCCC", "DDDD"];
    const results = await Promise.all(bodies.map((b) => fs.append("/race/f", b, "offset=5")));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 400)).toHaveLength(3);
    const content = await fs.content("/race/f");
    expect(bodies.map((b) => `start${b}`)).toContain(content);
  });

  test("a body over 4 MiB is refused and the file is unchanged", async () => {
    await fs.create("/limit/f", "abc");
    const res = await fs.append("/limit/f", Buffer.alloc(4 * 1024 * 1024 + 1), "offset=3");
    expectRemote(res, 400, "IllegalArgumentException");
    expect((await fs.fileStatus("/limit/f")).length).toBe(3);
  });

  test("deleting or overwriting files frees their blobs", async () => {
    const blobDir = path.join(fx.emu.dataDir, "fs", fx.account, "blobs");
    const count = () => readdirSync(blobDir).length;
    const start = count();
    await fs.create("/gc/a", "aaa");
    await fs.create("/gc/b", "bbb");
    expect(count()).toBe(start + 2);
    await fs.create("/gc/a", "new", "overwrite=true");
    expect(count()).toBe(start + 2);
    expectBoolean(await fs.op("DELETE", "/gc", "op=DELETE&recursive=true"), true);
    expect(count()).toBe(start);
  });

  test("MSCONCAT deleteSourceDirectory refuses to delete the destination's own directory or the root", async () => {
    await fs.create("/own/seg/a", "a");
    await fs.create("/rootsrc", "r");
    const concat = (dest: string, sources: string[]) =>
      fs.op("POST", dest, "op=MSCONCAT&deleteSourceDirectory=true", { body: JSON.stringify({ sources }) });
    expectRemote(await concat("/own/seg/new/out", ["/own/seg/a"]), 400, "IllegalArgumentException");
    expectRemote(await concat("/own/out", ["/rootsrc"]), 400, "IllegalArgumentException");
    expect(await fs.content("/own/seg/a")).toBe("a");
    expect(await fs.exists("/own/seg/new")).toBe(false);
  });

  test("removing the account removes its data and its endpoint", async () => {
    const other = await startFsFixture("gone");
    try {
      const ofs = fsCalls(other);
      await ofs.create("/f", "x");
      const dir = path.join(other.emu.dataDir, "fs", "gone");
      expect(statSync(dir).isDirectory()).toBe(true);
      expect(other.emu.emulator.services.accounts.remove("gone")).toBe(true);
      expect(existsSync(dir)).toBe(false);
      expectRemote(await other.call("GET", enc("/f"), "op=GETFILESTATUS"), 404);
    } finally {
      await other.close();
    }
  });
});
