import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type FsFixture, startFsFixture } from "../helpers/webhdfs-fixture.js";
import { expectBoolean, expectRemote, type FileStatusJson, fsCalls } from "./fs-calls.js";

let fx: FsFixture;
let fs: ReturnType<typeof fsCalls>;
beforeAll(async () => {
  fx = await startFsFixture();
  fs = fsCalls(fx);
});
afterAll(() => fx?.close());

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const rootStatus = async (rawPath: string, query = "OP=GETFILESTATUS") => {
  const res = await fx.call("GET", rawPath, query);
  expect(res.status, res.text).toBe(200);
  return res.json<{ FileStatus: FileStatusJson }>().FileStatus;
};

describe("§12 routing, paths, parameters", () => {
  test("1: GET /webhdfs/v1/?OP=GETFILESTATUS is the root directory", async () => {
    const status = await rootStatus("/");
    expect(status).toMatchObject({
      type: "DIRECTORY",
      pathSuffix: "",
      length: 0,
      blockSize: 0,
      replication: 0,
    });
  });

  test("2: /webhdfs/v1/. is the root too", async () => {
    expect(await rootStatus("/.")).toEqual(await rootStatus("/"));
  });

  test("3: /webhdfs/v1 without a trailing slash is the root", async () => {
    expect(await rootStatus("")).toEqual(await rootStatus("/"));
  });

  test("4: OP= and op= both work, and the value is case-insensitive", async () => {
    const upper = await rootStatus("/", "OP=GETFILESTATUS");
    expect(await rootStatus("/", "op=GETFILESTATUS")).toEqual(upper);
    expect(await rootStatus("/", "op=getfilestatus")).toEqual(upper);
  });

  test("5: a doubled slash (//a/b.txt) names /a/b.txt", async () => {
    const res = await fx.call("PUT", "//r5/b.txt", "OP=CREATE&write=true&overwrite=true");
    expect(res.status, res.text).toBe(201);
    expect((await fs.fileStatus("/r5/b.txt")).type).toBe("FILE");
  });

  test("6: %2F separators name the same item as /", async () => {
    await fs.create("/r6/b.txt", "six");
    const res = await fx.call("GET", "/%2Fr6%2Fb.txt", "op=GETFILESTATUS");
    expect(res.status, res.text).toBe(200);
    expect(res.json().FileStatus.length).toBe(3);
  });

  test("7: percent-escaped space, plus, hash and question mark decode into the name", async () => {
    const res = await fx.call("PUT", "/r7/a%20b%2Bc%23%3F.txt", "op=CREATE&write=true&overwrite=true");
    expect(res.status, res.text).toBe(201);
    expect(await fs.names("/r7")).toEqual(["a b+c#?.txt"]);
  });

  test("8: a literal + in the path stays a +", async () => {
    expect((await fx.call("PUT", "/r8/x+y", "op=CREATE&write=true")).status).toBe(201);
    expect(await fs.names("/r8")).toEqual(["x+y"]);
  });

  test("9: query values are form-decoded: destination=d%2Fe+f%2Bg is d/e f+g", async () => {
    await fs.create("/r9/src", "x");
    await fs.mkdirs("/d");
    expectBoolean(await fx.call("PUT", "/r9/src", "op=RENAME&destination=d%2Fe+f%2Bg"), true);
    expect(await fs.exists("/d/e f+g")).toBe(true);
  });

  test("10: parameter names match case-insensitively (aclSpec, leaseId, createparent, tooId)", async () => {
    await fs.create("/r10/f", "");
    expect((await fs.op("PUT", "/r10/f", "op=MODIFYACLENTRIES&aclspec=user:u1:r--")).status).toBe(200);
    expect((await fs.op("PUT", "/r10/f", "op=MODIFYACLENTRIES&ACLSPEC=user:u2:r--")).status).toBe(200);
    expect((await fs.acl("/r10/f")).entries).toEqual(expect.arrayContaining(["user:u1:r--", "user:u2:r--"]));
    // leaseId read case-insensitively: another writer's lease conflicts with it.
    expect((await fs.create("/r10/leased", "", "overwrite=true&syncFlag=DATA&leaseId=AAA")).status).toBe(201);
    expectRemote(await fs.append("/r10/leased", "x", "offset=0&LEASEID=BBB"), 400);
    expect((await fs.append("/r10/leased", "x", "offset=0&leaseid=AAA&syncFlag=CLOSE")).status).toBe(200);
    expectRemote(await fs.create("/r10/missing/f", "", "createparent=false"), 404, "FileNotFoundException");
    expectRemote(await fs.create("/r10/missing/f", "", "CreateParent=false"), 404, "FileNotFoundException");
    expect((await fs.op("GET", "/r10/f", "op=GETFILESTATUS&tooId=true")).status).toBe(200);
    expect((await fs.op("GET", "/r10/f", "op=GETFILESTATUS&tooid=false")).status).toBe(200);
  });

  test("11: booleans true/True/TRUE/false/False are accepted", async () => {
    for (const [i, value] of ["true", "True", "TRUE"].entries()) {
      await fs.create(`/r11/${i}/x`, "x");
      expectBoolean(await fs.op("DELETE", `/r11/${i}`, `op=DELETE&recursive=${value}`), true);
    }
    await fs.create("/r11/keep/x", "x");
    for (const value of ["false", "False"]) {
      expectRemote(await fs.op("DELETE", "/r11/keep", `op=DELETE&recursive=${value}`), 403);
    }
    expect(await fs.exists("/r11/keep/x")).toBe(true);
  });

  test("12: SETEXPIRY under /webhdfsext and /WebHdfsExt both succeed", async () => {
    await fs.create("/r12/f", "x");
    expect(
      (await fx.call("PUT", "/r12/f", "OP=SETEXPIRY&expiryOption=NeverExpire", { prefix: "/webhdfsext" }))
        .status,
    ).toBe(200);
    expect(
      (await fx.call("PUT", "/r12/f", "op=SETEXPIRY&expiryOption=NeverExpire", { prefix: "/WebHdfsExt" }))
        .status,
    ).toBe(200);
    expect((await fx.call("GET", "/r12/f", "op=GETFILESTATUS", { prefix: "/WEBHDFS/V1" })).status).toBe(200);
  });

  test("13: any api-version, or none, is accepted", async () => {
    for (const query of [
      "",
      "&api-version=2016-11-01",
      "&api-version=2018-09-01",
      "&api-version=1999-01-01&api-version=2018-12-01",
    ]) {
      expect((await fx.call("GET", "/", `op=LISTSTATUS${query}`)).status).toBe(200);
    }
  });

  test("14: unknown parameters are ignored", async () => {
    await fs.create("/r14/f", "abc");
    const res = await fs.open("/r14/f", "speculative=true&select=Minimal&getconsistentlength=true&hint=x");
    expect(res.status).toBe(200);
    expect(res.text).toBe("abc");
  });

  test("15: an unknown op is 400 IllegalArgumentException", async () => {
    expectRemote(await fx.call("GET", "/", "op=NOSUCHOP"), 400, "IllegalArgumentException");
    expectRemote(await fx.call("GET", "/", ""), 400, "IllegalArgumentException");
  });

  test("16: the wrong HTTP method for an op is 400", async () => {
    expectRemote(await fx.call("GET", "/r16", "op=MKDIRS"), 400, "IllegalArgumentException");
    expectRemote(await fx.call("PUT", "/", "op=GETFILESTATUS"), 400, "IllegalArgumentException");
    expect(await fs.exists("/r16")).toBe(false);
  });

  test("17: every response has an x-ms-request-id GUID; every JSON error has Content-Length", async () => {
    const ok = await fx.call("GET", "/", "op=GETFILESTATUS");
    const empty = await fs.create("/r17/f", "");
    const error = await fx.call("GET", "/r17/missing", "op=GETFILESTATUS");
    for (const res of [ok, empty, error]) expect(res.headers["x-ms-request-id"]).toMatch(GUID);
    const remote = expectRemote(error, 404, "FileNotFoundException");
    expect(remote.message).toContain(String(error.headers["x-ms-request-id"]));
  });
});
