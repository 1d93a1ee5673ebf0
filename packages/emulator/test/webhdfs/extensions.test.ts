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

const concurrentAppend = (path: string, body: string, query = "") =>
  fx.call("POST", path, `op=CONCURRENTAPPEND${query}`, { prefix: "/WebHdfsExt", body });

describe("operations beyond the checklist", () => {
  test("CONCURRENTAPPEND appends at the end; appendMode=autocreate creates a missing file", async () => {
    expectRemote(await concurrentAppend("/x1/log", "a"), 404, "FileNotFoundException");
    expect((await concurrentAppend("/x1/log", "first;", "&appendMode=autocreate&syncFlag=DATA")).status).toBe(
      200,
    );
    const parallel = await Promise.all(["b;", "c;", "d;"].map((body) => concurrentAppend("/x1/log", body)));
    expect(parallel.map((r) => r.status)).toEqual([200, 200, 200]);
    const content = await fs.content("/x1/log");
    expect(content.startsWith("first;")).toBe(true);
    expect(content.length).toBe(12);
    expect(content.slice(6).split(";").filter(Boolean).sort()).toEqual(["b", "c", "d"]);
  });

  test("SETTIMES sets modificationTime and accessTime; -1 leaves a time unchanged", async () => {
    await fs.create("/x2/f", "x");
    expect(
      (await fs.op("PUT", "/x2/f", "op=SETTIMES&modificationtime=1600000000000&accesstime=1500000000000"))
        .status,
    ).toBe(200);
    expect(await fs.fileStatus("/x2/f")).toMatchObject({
      modificationTime: 1600000000000,
      accessTime: 1500000000000,
    });
    expect(
      (await fs.op("PUT", "/x2/f", "op=SETTIMES&modificationtime=-1&accesstime=1400000000000")).status,
    ).toBe(200);
    expect(await fs.fileStatus("/x2/f")).toMatchObject({
      modificationTime: 1600000000000,
      accessTime: 1400000000000,
    });
  });

  test("GETCONTENTSUMMARY counts a nested tree", async () => {
    await fs.create("/x3/a/one", "1");
    await fs.create("/x3/a/b/two", "22");
    await fs.mkdirs("/x3/empty");
    const res = await fs.op("GET", "/x3", "op=GETCONTENTSUMMARY");
    expect(res.json().ContentSummary).toMatchObject({
      directoryCount: 4,
      fileCount: 2,
      length: 3,
      spaceConsumed: 3,
    });
  });

  test("unsupported WebHDFS operations are 400 UnsupportedOperationException", async () => {
    expectRemote(await fx.call("GET", "/", "op=GETFILECHECKSUM"), 400, "UnsupportedOperationException");
    expectRemote(await fx.call("GET", "/", "op=ENUMERATEDELETEDITEMS"), 400, "UnsupportedOperationException");
  });

  test("host-style URLs ({account}.localhost:PORT) reach the same filesystem", async () => {
    await fs.create("/x5/f", "host-style");
    const token = await fx.tokenFor("owner");
    const url = `https://${fx.account}.localhost:${fx.emu.emulator.port}/webhdfs/v1/x5/f?op=OPEN&read=true`;
    const res = await fx.emu.request("GET", url, {
      headers: { authorization: `Bearer ${token}` },
      connectTo: "127.0.0.1",
    });
    expect(res.status, res.text).toBe(200);
    expect(res.text).toBe("host-style");
  });

  test("webhdfs responses carry x-ms-webhdfs-version and Status; errors carry their ADLS code", async () => {
    const ok = await fs.status("/");
    expect(ok.headers["x-ms-webhdfs-version"]).toBeTruthy();
    expect(ok.headers.status).toBe("0x0");
    const missing = await fs.status("/x6/missing");
    expect(missing.headers.status).toBe("0x8309000A");
  });
});
