import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type FsFixture, startFsFixture } from "../helpers/webhdfs-fixture.js";
import { expectBoolean, expectRemote, fsCalls } from "./fs-calls.js";

let fx: FsFixture;
let fs: ReturnType<typeof fsCalls>;
beforeAll(async () => {
  fx = await startFsFixture();
  fs = fsCalls(fx);
});
afterAll(() => fx?.close());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const TEN = [
  "123a.txt",
  "123b.txt",
  "123c.txt",
  "123d.txt",
  "123e.txt",
  "123f.txt",
  "123g.txt",
  "123h.txt",
  "123i.txt",
  "123j.txt",
];

async function tenChildren(dir: string): Promise<void> {
  // Created out of order: listing order must not depend on creation order.
  for (const name of [...TEN].reverse()) await fs.create(`${dir}/${name}`, "x");
}

describe("§12 GETFILESTATUS", () => {
  test("18: a missing path is 404 FileNotFoundException with the Java class name and JSON content type", async () => {
    const res = await fs.status("/s18/missing");
    const remote = expectRemote(res, 404, "FileNotFoundException");
    expect(remote.javaClassName).toBe("java.io.FileNotFoundException");
    expect(remote.message).toContain("File/Folder does not exist: /s18/missing");
  });

  test("19: a file has blockSize 268435456, replication 1, msExpirationTime 0, its length and permission 770", async () => {
    await fs.create("/s19/f", "0123456789");
    expect(await fs.fileStatus("/s19/f")).toMatchObject({
      type: "FILE",
      pathSuffix: "",
      length: 10,
      blockSize: 268435456,
      replication: 1,
      msExpirationTime: 0,
      permission: "770",
      aclBit: false,
    });
  });

  test("20: a directory has blockSize 0, replication 0, length 0 and no msExpirationTime", async () => {
    await fs.mkdirs("/s20/d");
    const status = await fs.fileStatus("/s20/d");
    expect(status).toMatchObject({ type: "DIRECTORY", blockSize: 0, replication: 0, length: 0 });
    expect(status).not.toHaveProperty("msExpirationTime");
    expect(Object.keys(status)).toEqual([
      "length",
      "pathSuffix",
      "type",
      "blockSize",
      "accessTime",
      "modificationTime",
      "replication",
      "permission",
      "owner",
      "group",
      "aclBit",
    ]);
  });

  test("21: a path below a file is 404", async () => {
    await fs.create("/s21/file", "x");
    expectRemote(await fs.status("/s21/file/x"), 404, "FileNotFoundException");
  });

  test("22: accessTime is the creation time and OPEN does not change it; APPEND moves modificationTime", async () => {
    await fs.create("/s22/f", "abc");
    const before = await fs.fileStatus("/s22/f");
    expect(before.accessTime).toBeLessThanOrEqual(before.modificationTime);
    await sleep(15);
    await fs.open("/s22/f");
    expect((await fs.fileStatus("/s22/f")).accessTime).toBe(before.accessTime);
    await fs.append("/s22/f", "def", "offset=3");
    const after = await fs.fileStatus("/s22/f");
    expect(after.accessTime).toBe(before.accessTime);
    expect(after.modificationTime).toBeGreaterThan(before.modificationTime);
  });

  test("23: the owner is the caller and the group is the parent directory's group", async () => {
    await fs.mkdirs("/s23");
    expect((await fs.op("PUT", "/s23", "op=SETOWNER&group=g-23")).status).toBe(200);
    await fs.create("/s23/f", "x");
    const status = await fs.fileStatus("/s23/f");
    expect(status.owner).toBe(fx.emu.emulator.connection.clientObjectId);
    expect(status.group).toBe("g-23");
  });
});

describe("§12 LISTSTATUS", () => {
  test("24: an empty directory lists as continuationToken '' and no entries", async () => {
    await fs.mkdirs("/l24");
    const res = await fs.list("/l24");
    expect(res.status).toBe(200);
    expect(res.text).toBe('{"FileStatuses":{"continuationToken":"","FileStatus":[]}}');
  });

  test("25: entries are sorted by name, each pathSuffix the child name", async () => {
    for (const name of ["c", "a", "b"]) await fs.create(`/l25/${name}`, name);
    expect(await fs.names("/l25")).toEqual(["a", "b", "c"]);
  });

  test("26: listSize=9 of 10 gives 9 and the 9th name; listAfter it gives 1 and ''", async () => {
    await tenChildren("/l26");
    const first = await fs.page("/l26", "listSize=9");
    expect(first).toEqual({ token: "123i.txt", names: TEN.slice(0, 9) });
    expect(await fs.page("/l26", `listSize=9&listAfter=${first.token}`)).toEqual({
      token: "",
      names: ["123j.txt"],
    });
  });

  test("27: listSize=10 of 10 gives the 10th name as token; the next page is empty with ''", async () => {
    await tenChildren("/l27");
    expect(await fs.page("/l27", "listSize=10")).toEqual({ token: "123j.txt", names: TEN });
    expect(await fs.page("/l27", "listSize=10&listAfter=123j.txt")).toEqual({ token: "", names: [] });
  });

  test("28: listSize=4000 of 10 gives 10 and ''", async () => {
    await tenChildren("/l28");
    expect(await fs.page("/l28", "listSize=4000")).toEqual({ token: "", names: TEN });
  });

  test("29: listAfter need not exist: a,b,d after c is d", async () => {
    for (const name of ["a", "b", "d"]) await fs.create(`/l29/${name}`, "");
    expect(await fs.names("/l29", "listAfter=c")).toEqual(["d"]);
  });

  test("30: listBefore is exclusive: a,b,d before c is a,b", async () => {
    for (const name of ["a", "b", "d"]) await fs.create(`/l30/${name}`, "");
    expect(await fs.names("/l30", "listBefore=c")).toEqual(["a", "b"]);
  });

  test("31: LISTSTATUS of a file is one entry for the file with pathSuffix ''", async () => {
    await fs.create("/l31/f", "12345");
    const res = await fs.list("/l31/f");
    expect(res.status).toBe(200);
    const body = res.json().FileStatuses;
    expect(body.continuationToken).toBe("");
    expect(body.FileStatus).toHaveLength(1);
    expect(body.FileStatus[0]).toMatchObject({ pathSuffix: "", type: "FILE", length: 5 });
  });

  test("32: LISTSTATUS of a missing path is 404 FileNotFoundException", async () => {
    expectRemote(await fs.list("/l32/missing"), 404, "FileNotFoundException");
  });
});

describe("§12 MKDIRS", () => {
  test("33: MKDIRS /x/y/z creates every level", async () => {
    expectBoolean(await fs.mkdirs("/m33/x/y/z"), true);
    for (const path of ["/m33/x", "/m33/x/y", "/m33/x/y/z"])
      expect((await fs.fileStatus(path)).type).toBe("DIRECTORY");
  });

  test("34: MKDIRS on an existing directory is true", async () => {
    await fs.mkdirs("/m34");
    expectBoolean(await fs.mkdirs("/m34"), true);
  });

  test("35: MKDIRS permission=733 is stored", async () => {
    expectBoolean(await fs.mkdirs("/m35", "permission=733"), true);
    expect((await fs.fileStatus("/m35")).permission).toBe("733");
  });

  test("36: MKDIRS through a file is 403 FileAlreadyExistsException", async () => {
    await fs.create("/m36/file", "x");
    expectRemote(await fs.mkdirs("/m36/file/sub"), 403, "FileAlreadyExistsException");
    expect((await fs.fileStatus("/m36/file")).type).toBe("FILE");
  });
});
