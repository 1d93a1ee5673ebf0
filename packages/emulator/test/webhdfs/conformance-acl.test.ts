import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type FsFixture, startFsFixture } from "../helpers/webhdfs-fixture.js";
import { expectRemote, fsCalls } from "./fs-calls.js";

let fx: FsFixture;
let fs: ReturnType<typeof fsCalls>;
beforeAll(async () => {
  fx = await startFsFixture();
  fs = fsCalls(fx);
});
afterAll(() => fx?.close());

const U = "470c0ccf-c91a-4597-98cd-48507d2f1486";
const put = (path: string, query: string) => fs.op("PUT", path, query);

describe("§12 permissions, ownership, ACLs", () => {
  test("93: SETPERMISSION permission=0755 is 200 empty; FileStatus shows 755", async () => {
    await fs.create("/p93/f", "x");
    const res = await put("/p93/f", "op=SETPERMISSION&permission=0755");
    expect(res.status).toBe(200);
    expect(res.body.length).toBe(0);
    expect((await fs.fileStatus("/p93/f")).permission).toBe("755");
  });

  test("94: SETPERMISSION 1770 shows 1770 and stickyBit true", async () => {
    await fs.mkdirs("/p94/d");
    expect((await put("/p94/d", "op=SETPERMISSION&permission=1770")).status).toBe(200);
    expect((await fs.fileStatus("/p94/d")).permission).toBe("1770");
    expect((await fs.acl("/p94/d")).stickyBit).toBe(true);
  });

  test("95: SETPERMISSION 77777 is 400 and changes nothing", async () => {
    await fs.create("/p95/f", "x");
    expectRemote(await put("/p95/f", "op=SETPERMISSION&permission=77777"), 400, "IllegalArgumentException");
    expect((await fs.fileStatus("/p95/f")).permission).toBe("770");
  });

  test("96: MSGETACLSTATUS of a fresh file has the three base entries", async () => {
    await fs.create("/p96/f", "x");
    const me = fx.emu.emulator.connection.clientObjectId;
    const res = await fs.op("GET", "/p96/f", "op=MSGETACLSTATUS");
    expect(res.json()).toEqual({
      AclStatus: {
        entries: ["user::rwx", "group::rwx", "other::---"],
        owner: me,
        group: me,
        permission: "770",
        stickyBit: false,
      },
    });
  });

  test("97: MODIFYACLENTRIES user:U:r-x adds the entry and a mask; aclBit true", async () => {
    await fs.create("/p97/f", "x");
    expect((await put("/p97/f", `op=MODIFYACLENTRIES&aclSpec=user:${U}:r-x`)).status).toBe(200);
    expect((await fs.acl("/p97/f")).entries).toEqual([
      "user::rwx",
      `user:${U}:r-x`,
      "group::rwx",
      "mask::rwx",
      "other::---",
    ]);
    expect((await fs.fileStatus("/p97/f")).aclBit).toBe(true);
  });

  test("98: MODIFYACLENTRIES on an existing named entry changes only its permissions", async () => {
    await fs.create("/p98/f", "x");
    await put("/p98/f", `op=MODIFYACLENTRIES&aclSpec=user:${U}:r-x,group:g1:r--`);
    await put("/p98/f", `op=MODIFYACLENTRIES&aclSpec=user:${U}:rw-`);
    expect((await fs.acl("/p98/f")).entries).toEqual([
      "user::rwx",
      `user:${U}:rw-`,
      "group:g1:r--",
      "group::rwx",
      "mask::rwx",
      "other::---",
    ]);
  });

  test("99: REMOVEACLENTRIES user:U removes the entry; mask:: stays", async () => {
    await fs.create("/p99/f", "x");
    await put("/p99/f", `op=MODIFYACLENTRIES&aclSpec=user:${U}:r-x`);
    expect((await put("/p99/f", `op=REMOVEACLENTRIES&aclSpec=user:${U}`)).status).toBe(200);
    const entries = (await fs.acl("/p99/f")).entries;
    expect(entries).not.toContain(`user:${U}:r-x`);
    expect(entries.some((e) => e.startsWith("mask::"))).toBe(true);
  });

  test("100: REMOVEACL leaves the three base entries; aclBit false", async () => {
    await fs.create("/p100/f", "x");
    await put("/p100/f", `op=MODIFYACLENTRIES&aclSpec=user:${U}:r-x`);
    expect((await put("/p100/f", "op=REMOVEACL")).status).toBe(200);
    expect((await fs.acl("/p100/f")).entries).toEqual(["user::rwx", "group::rwx", "other::---"]);
    expect((await fs.fileStatus("/p100/f")).aclBit).toBe(false);
  });

  test("101: SETACL without user::/group::/other:: is 400 and changes nothing", async () => {
    await fs.create("/p101/f", "x");
    expectRemote(await put("/p101/f", `op=SETACL&aclSpec=user:${U}:rwx`), 400, "IllegalArgumentException");
    expect((await fs.acl("/p101/f")).entries).toEqual(["user::rwx", "group::rwx", "other::---"]);
  });

  test("102: a default ACL is inherited: a new file gets the named entry, a new directory the defaults too", async () => {
    await fs.mkdirs("/p102");
    expect(
      (await put("/p102", `op=SETACL&aclSpec=user::rwx,group::r-x,other::---,default:user:${U}:rwx`)).status,
    ).toBe(200);
    const dirAcl = (await fs.acl("/p102")).entries;
    expect(dirAcl).toEqual([
      "user::rwx",
      "group::r-x",
      "other::---",
      "default:user::rwx",
      `default:user:${U}:rwx`,
      "default:group::r-x",
      "default:mask::rwx",
      "default:other::---",
    ]);
    await fs.create("/p102/file", "x");
    expect((await fs.acl("/p102/file")).entries).toContain(`user:${U}:rwx`);
    expect((await fs.acl("/p102/file")).entries.some((e) => e.startsWith("default:"))).toBe(false);
    await fs.mkdirs("/p102/sub");
    const sub = (await fs.acl("/p102/sub")).entries;
    expect(sub).toContain(`user:${U}:rwx`);
    expect(sub).toContain(`default:user:${U}:rwx`);
  });

  test("103: REMOVEDEFAULTACL removes the default entries; later children inherit nothing", async () => {
    await fs.mkdirs("/p103");
    await put("/p103", `op=SETACL&aclSpec=user::rwx,group::r-x,other::---,default:user:${U}:rwx`);
    expect((await put("/p103", "op=REMOVEDEFAULTACL")).status).toBe(200);
    expect((await fs.acl("/p103")).entries.some((e) => e.startsWith("default:"))).toBe(false);
    await fs.create("/p103/f", "x");
    expect((await fs.acl("/p103/f")).entries).toEqual(["user::rwx", "group::rwx", "other::---"]);
  });

  test("104: SETOWNER owner=O&group=G sets both; with neither it is 400", async () => {
    await fs.create("/p104/f", "x");
    expect((await put("/p104/f", "op=SETOWNER&owner=O-104&group=G-104")).status).toBe(200);
    expect(await fs.fileStatus("/p104/f")).toMatchObject({ owner: "O-104", group: "G-104" });
    expectRemote(await put("/p104/f", "op=SETOWNER"), 400, "IllegalArgumentException");
  });

  test("105: GETACLSTATUS returns the same document as MSGETACLSTATUS", async () => {
    await fs.create("/p105/f", "x");
    await put("/p105/f", `op=MODIFYACLENTRIES&aclSpec=user:${U}:r-x`);
    const ms = await fs.op("GET", "/p105/f", "op=MSGETACLSTATUS");
    const plain = await fs.op("GET", "/p105/f", "op=GETACLSTATUS");
    expect(plain.status).toBe(200);
    expect(plain.json()).toEqual(ms.json());
  });

  test("106: CHECKACCESS rwx as the owner is 200; fsaction=abc is 400", async () => {
    await fs.create("/p106/f", "x");
    expect((await fs.op("GET", "/p106/f", "op=CHECKACCESS&fsaction=rwx")).status).toBe(200);
    expectRemote(
      await fs.op("GET", "/p106/f", "op=CHECKACCESS&fsaction=abc"),
      400,
      "IllegalArgumentException",
    );
  });

  test("107: GETCONTENTSUMMARY of a directory with two 10-byte files; of a file 0/1", async () => {
    await fs.create("/p107/a", "0123456789");
    await fs.create("/p107/b", "abcdefghij");
    const dir = await fs.op("GET", "/p107", "op=GETCONTENTSUMMARY");
    expect(dir.json()).toEqual({
      ContentSummary: {
        directoryCount: 1,
        fileCount: 2,
        length: 20,
        quota: -1,
        spaceConsumed: 20,
        spaceQuota: -1,
      },
    });
    const file = await fs.op("GET", "/p107/a", "op=GETCONTENTSUMMARY");
    expect(file.json().ContentSummary).toMatchObject({ directoryCount: 0, fileCount: 1, length: 10 });
  });
});
