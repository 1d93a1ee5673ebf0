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

const MiB4 = 4 * 1024 * 1024;
const pattern = (size: number, seed: number) => {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = (i * 31 + seed) % 256;
  return b;
};
const rename = (from: string, to: string, extra = "") =>
  fs.op("PUT", from, `op=RENAME&destination=${encodeURIComponent(to)}${extra}`);

describe("§12 OPEN", () => {
  test("55: OPEN offset=0&length=n is 200 application/octet-stream with exactly n bytes", async () => {
    await fs.create("/o55/f", "0123456789");
    const res = await fs.open("/o55/f", "offset=0&length=4");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/octet-stream");
    expect(res.text).toBe("0123");
  });

  test("56: OPEN past the end returns the remaining bytes", async () => {
    await fs.create("/o56/f", "0123456789");
    expect((await fs.open("/o56/f", "offset=7&length=100")).text).toBe("789");
  });

  test("57: OPEN of 32 MiB returns all of it in one response", async () => {
    await fs.create("/o57/f", undefined, "overwrite=true&syncFlag=DATA&leaseid=L");
    const parts = Array.from({ length: 8 }, (_, i) => pattern(MiB4, i));
    for (const [i, part] of parts.entries()) {
      expect(
        (
          await fs.append(
            "/o57/f",
            part,
            `offset=${i * MiB4}&leaseid=L&syncFlag=${i === 7 ? "CLOSE" : "DATA"}`,
          )
        ).status,
      ).toBe(200);
    }
    const res = await fs.open("/o57/f", `offset=0&length=${8 * MiB4}`);
    expect(res.body.length).toBe(8 * MiB4);
    expect(Buffer.compare(res.body, Buffer.concat(parts))).toBe(0);
  });

  test("58: OPEN without offset and length returns the whole file", async () => {
    await fs.create("/o58/f", "whole file");
    expect((await fs.open("/o58/f")).text).toBe("whole file");
  });

  test("59: OPEN of an empty file with offset=0&length=0 is 200 with Content-Length 0", async () => {
    await fs.create("/o59/f", "");
    const res = await fs.open("/o59/f", "offset=0&length=0");
    expect(res.status).toBe(200);
    expect(res.headers["content-length"]).toBe("0");
    expect(res.body.length).toBe(0);
  });

  test("60: OPEN responses never carry a JSON content type", async () => {
    await fs.create("/o60/f", '{"looks":"like json"}');
    await fs.create("/o60/empty", "");
    for (const path of ["/o60/f", "/o60/empty"]) {
      expect(String((await fs.open(path)).headers["content-type"] ?? "")).not.toContain("json");
    }
  });

  test("61: OPEN of a missing file is 404; of a directory an error", async () => {
    expectRemote(await fs.open("/o61/missing"), 404, "FileNotFoundException");
    await fs.mkdirs("/o61/dir");
    expect((await fs.open("/o61/dir")).status).toBeGreaterThanOrEqual(400);
  });

  test("62: OPEN with offset beyond the length is 400 BadOffsetException", async () => {
    await fs.create("/o62/f", "abc");
    expectRemote(await fs.open("/o62/f", "offset=10&length=1"), 400, "BadOffsetException");
  });
});

describe("§12 RENAME", () => {
  test("63: RENAME with a destination without a leading slash is true; the item moves", async () => {
    await fs.create("/r63/d/f", "x");
    expectBoolean(await fs.op("PUT", "/r63/d/f", "op=RENAME&destination=r63%2Fd%2Fg"), true);
    expect(await fs.exists("/r63/d/g")).toBe(true);
    expect(await fs.exists("/r63/d/f")).toBe(false);
  });

  test("64: RENAME of a missing source is 200 false", async () => {
    expectBoolean(await rename("/r64/missing", "/r64/x"), false);
  });

  test("65: RENAME onto an existing file without renameoptions is false; both files unchanged", async () => {
    await fs.create("/r65/a", "A");
    await fs.create("/r65/b", "B");
    expectBoolean(await rename("/r65/a", "/r65/b"), false);
    expect(await fs.content("/r65/a")).toBe("A");
    expect(await fs.content("/r65/b")).toBe("B");
  });

  test("66: RENAME onto an existing file with renameoptions=OVERWRITE replaces it", async () => {
    await fs.create("/r66/a", "A");
    await fs.create("/r66/b", "B");
    expectBoolean(await rename("/r66/a", "/r66/b", "&renameoptions=OVERWRITE"), true);
    expect(await fs.content("/r66/b")).toBe("A");
    expect(await fs.exists("/r66/a")).toBe(false);
    await fs.create("/r66/c", "C");
    expectBoolean(await rename("/r66/c", "/r66/b", "&renameoptions=overwrite&overwrite=true"), true);
    expect(await fs.content("/r66/b")).toBe("C");
  });

  test("67: RENAME of a directory onto an existing directory moves it inside", async () => {
    await fs.create("/r67/s/inner", "i");
    await fs.mkdirs("/r67/t");
    expectBoolean(await rename("/r67/s", "/r67/t"), true);
    expect(await fs.content("/r67/t/s/inner")).toBe("i");
    expect(await fs.exists("/r67/s")).toBe(false);
  });

  test("68: RENAME of /s onto /t where /t/s exists is false", async () => {
    await fs.create("/r68/s/one", "1");
    await fs.create("/r68/t/s/two", "2");
    expectBoolean(await rename("/r68/s", "/r68/t"), false);
    expect(await fs.exists("/r68/s/one")).toBe(true);
  });

  test("69: RENAME of a file onto itself is true, of a directory onto itself false", async () => {
    await fs.create("/r69/f", "x");
    await fs.mkdirs("/r69/d");
    expectBoolean(await rename("/r69/f", "/r69/f"), true);
    expectBoolean(await rename("/r69/d", "/r69/d"), false);
    expect(await fs.content("/r69/f")).toBe("x");
  });

  test("70: RENAME to a destination whose parent does not exist is false", async () => {
    await fs.create("/r70/f", "x");
    expectBoolean(await rename("/r70/f", "/r70/missing/g"), false);
    expect(await fs.exists("/r70/f")).toBe(true);
    expect(await fs.exists("/r70/missing")).toBe(false);
  });

  test("71: RENAME moves a whole subtree at once", async () => {
    for (const path of ["/r71/src/a", "/r71/src/b/c", "/r71/src/b/d/e"]) await fs.create(path, path);
    expectBoolean(await rename("/r71/src", "/r71/dst"), true);
    for (const path of ["/r71/src/a", "/r71/src/b/c", "/r71/src/b/d/e"]) {
      expect(await fs.content(path.replace("/r71/src", "/r71/dst"))).toBe(path);
      expect(await fs.exists(path)).toBe(false);
    }
    expectBoolean(await rename("/r71/dst", "/r71/dst/b/into-itself"), false);
  });
});

describe("§12 DELETE", () => {
  test("72: DELETE of a file is true; the file is gone", async () => {
    await fs.create("/d72/f", "x");
    expectBoolean(await fs.op("DELETE", "/d72/f", "op=DELETE"), true);
    expectRemote(await fs.status("/d72/f"), 404, "FileNotFoundException");
  });

  test("73: DELETE of a missing path is 200 false", async () => {
    expectBoolean(await fs.op("DELETE", "/d73/missing", "op=DELETE"), false);
  });

  test("74: DELETE of an empty directory with recursive=False is true", async () => {
    await fs.mkdirs("/d74/empty");
    expectBoolean(await fs.op("DELETE", "/d74/empty", "op=DELETE&recursive=False"), true);
    expect(await fs.exists("/d74/empty")).toBe(false);
  });

  test("75: DELETE of a non-empty directory with recursive=false is 403 PathIsNotEmptyDirectoryException", async () => {
    await fs.create("/d75/dir/f", "x");
    expectRemote(
      await fs.op("DELETE", "/d75/dir", "op=DELETE&recursive=false"),
      403,
      "PathIsNotEmptyDirectoryException",
    );
    expect(await fs.content("/d75/dir/f")).toBe("x");
  });

  test("76: DELETE recursive=True removes the whole subtree", async () => {
    for (const path of ["/d76/t/a", "/d76/t/b/c", "/d76/t/b/d/e"]) await fs.create(path, "x");
    expectBoolean(await fs.op("DELETE", "/d76/t", "op=DELETE&recursive=True"), true);
    for (const path of ["/d76/t", "/d76/t/b", "/d76/t/b/d/e"]) expect(await fs.exists(path)).toBe(false);
  });

  test("77: DELETE / is refused and the root still exists", async () => {
    const res = await fs.op("DELETE", "/", "op=DELETE&recursive=true");
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect((await fs.fileStatus("/")).type).toBe("DIRECTORY");
    expect((await fs.names("/")).length).toBeGreaterThan(0);
  });
});
