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

const msconcat = (dest: string, sources: string[], query = "") =>
  fs.op("POST", dest, `op=MSCONCAT${query}`, {
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ sources }),
  });
const expiry = (path: string, query: string) =>
  fx.call("PUT", path, `op=SETEXPIRY&${query}`, { prefix: "/WebHdfsExt" });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("§12 MSCONCAT / CONCAT", () => {
  test("78: MSCONCAT with a JSON body joins a‖b into a new destination and removes the sources", async () => {
    await fs.create("/k78/a", "AAA");
    await fs.create("/k78/b", "BB");
    const res = await msconcat("/k78/out", ["/k78/a", "/k78/b"]);
    expect(res.status, res.text).toBe(200);
    expect(res.body.length).toBe(0);
    expect(await fs.content("/k78/out")).toBe("AAABB");
    expect(await fs.exists("/k78/a")).toBe(false);
    expect(await fs.exists("/k78/b")).toBe(false);
  });

  test("79: deleteSourceDirectory=true removes the directory that held the sources", async () => {
    await fs.create("/k79/seg/a", "1");
    await fs.create("/k79/seg/b", "2");
    await fs.create("/k79/seg/other", "not a source");
    expect(
      (await msconcat("/k79/out", ["/k79/seg/a", "/k79/seg/b"], "&deleteSourceDirectory=true")).status,
    ).toBe(200);
    expect(await fs.content("/k79/out")).toBe("12");
    expect(await fs.exists("/k79/seg")).toBe(false);
  });

  test("80: sources without a leading slash resolve from the root", async () => {
    await fs.create("/k80/a+file1", "x");
    await fs.create("/k80/a+file2", "y");
    expect((await msconcat("/k80/out", ["k80/a+file1", "k80/a+file2"])).status).toBe(200);
    expect(await fs.content("/k80/out")).toBe("xy");
  });

  test("81: the legacy body sources=/a,/b works like JSON", async () => {
    await fs.create("/k81/a", "A");
    await fs.create("/k81/b", "B");
    const res = await fs.op("POST", "/k81/out", "op=MSCONCAT", { body: "sources=/k81/a,/k81/b" });
    expect(res.status, res.text).toBe(200);
    expect(await fs.content("/k81/out")).toBe("AB");
    expect(await fs.exists("/k81/a")).toBe(false);
  });

  test("82: MSCONCAT onto an existing destination appends the sources to its content", async () => {
    await fs.create("/k82/out", "old-");
    await fs.create("/k82/a", "a");
    await fs.create("/k82/b", "b");
    expect((await msconcat("/k82/out", ["/k82/a", "/k82/b"])).status).toBe(200);
    expect(await fs.content("/k82/out")).toBe("old-ab");
    // The joined file keeps growing with APPEND.
    expect((await fs.append("/k82/out", "+", "offset=6")).status).toBe(200);
    expect(await fs.content("/k82/out")).toBe("old-ab+");
  });

  test("83: a missing source is an error and nothing changes", async () => {
    await fs.create("/k83/a", "a");
    expectRemote(await msconcat("/k83/out", ["/k83/a", "/k83/missing"]), 404, "FileNotFoundException");
    expect(await fs.content("/k83/a")).toBe("a");
    expect(await fs.exists("/k83/out")).toBe(false);
  });

  test("84: a directory destination, a repeated source or the destination as a source are errors", async () => {
    await fs.create("/k84/a", "a");
    await fs.mkdirs("/k84/dir");
    expectRemote(await msconcat("/k84/dir", ["/k84/a"]), 400, "IllegalArgumentException");
    expectRemote(await msconcat("/k84/out", ["/k84/a", "/k84/a"]), 400, "IllegalArgumentException");
    expectRemote(await msconcat("/k84/a", ["/k84/a"]), 400, "IllegalArgumentException");
    expect(await fs.content("/k84/a")).toBe("a");
    expect(await fs.exists("/k84/out")).toBe(false);
  });

  test("85: MSCONCAT with a single source", async () => {
    await fs.create("/k85/only", "single");
    expect((await msconcat("/k85/out", ["/k85/only"])).status).toBe(200);
    expect(await fs.content("/k85/out")).toBe("single");
  });

  test("86: CONCAT with sources in the query appends them to the target", async () => {
    await fs.create("/k86/t", "t");
    await fs.create("/k86/x", "x");
    await fs.create("/k86/y", "y");
    expect((await fs.op("POST", "/k86/t", "op=CONCAT&sources=%2Fk86%2Fx%2C%2Fk86%2Fy")).status).toBe(200);
    expect(await fs.content("/k86/t")).toBe("txy");
    expect(await fs.exists("/k86/x")).toBe(false);
    expect(await fs.exists("/k86/y")).toBe(false);
  });
});

describe("§12 SETEXPIRY", () => {
  test("87: Absolute sets msExpirationTime to expireTime", async () => {
    await fs.create("/e87/f", "x");
    expect((await expiry("/e87/f", "expiryOption=Absolute&expireTime=1896091200000")).status).toBe(200);
    expect((await fs.fileStatus("/e87/f")).msExpirationTime).toBe(1896091200000);
  });

  test("88: NeverExpire resets msExpirationTime to 0", async () => {
    await fs.create("/e88/f", "x");
    await expiry("/e88/f", "expiryOption=Absolute&expireTime=1896091200000");
    expect((await expiry("/e88/f", "expiryOption=NeverExpire")).status).toBe(200);
    expect((await fs.fileStatus("/e88/f")).msExpirationTime).toBe(0);
  });

  test("89: RelativeToNow 5000 expires about now+5 s; after 6 s the file is gone", async () => {
    await fs.create("/e89/f", "x");
    const before = Date.now();
    expect((await expiry("/e89/f", "expiryOption=RelativeToNow&expireTime=5000")).status).toBe(200);
    const at = (await fs.fileStatus("/e89/f")).msExpirationTime!;
    expect(at).toBeGreaterThanOrEqual(before + 5000);
    expect(at).toBeLessThanOrEqual(Date.now() + 5000);
    await sleep(6000);
    expectRemote(await fs.status("/e89/f"), 404, "FileNotFoundException");
    expect(await fs.names("/e89")).toEqual([]);
    expectRemote(await fs.append("/e89/f", "x"), 404, "FileNotFoundException");
  }, 15_000);

  test("90: RelativeToCreationDate 10000 is the creation time + 10000", async () => {
    await fs.create("/e90/f", "x");
    const created = (await fs.fileStatus("/e90/f")).accessTime;
    expect((await expiry("/e90/f", "expiryOption=RelativeToCreationDate&expireTime=10000")).status).toBe(200);
    expect((await fs.fileStatus("/e90/f")).msExpirationTime).toBe(created + 10000);
  });

  test("91: SETEXPIRY on a directory is an error", async () => {
    await fs.mkdirs("/e91/d");
    expectRemote(
      await expiry("/e91/d", "expiryOption=Absolute&expireTime=1896091200000"),
      400,
      "IllegalArgumentException",
    );
  });

  test("92: Absolute without expireTime is 400", async () => {
    await fs.create("/e92/f", "x");
    expectRemote(await expiry("/e92/f", "expiryOption=Absolute"), 400, "IllegalArgumentException");
    expect((await fs.fileStatus("/e92/f")).msExpirationTime).toBe(0);
  });
});
