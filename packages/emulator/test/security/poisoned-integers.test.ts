import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { NUMERIC_PARAMETER_CALLS } from "../helpers/edge-numbers.js";
import { type FsFixture, startFsFixture } from "../helpers/webhdfs-fixture.js";
import { expectBoolean, expectRemote, fsCalls } from "../webhdfs/fs-calls.js";

/**
 * Issue 16, finding 1: a number the store cannot read back (node:sqlite throws RangeError past 2^53) was stored
 * by SETEXPIRY and SETTIMES; the purge of expired files before every operation then answered 500 to everyone,
 * also after a restart. Every numeric parameter is now range-checked before anything is stored.
 */
let fx: FsFixture;
let fs: ReturnType<typeof fsCalls>;
beforeAll(async () => {
  fx = await startFsFixture("poison");
  fs = fsCalls(fx);
});
afterAll(() => fx?.close());

/** 9999-12-31T23:59:59.999Z, the latest time the service (and .NET's DateTime) can represent. */
const YEAR_9999_END = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const expiry = (p: string, query: string) =>
  fx.call("PUT", p, `op=SETEXPIRY&${query}`, { prefix: "/WebHdfsExt" });

/** The account answers a listing, a write and a read, and `file` can be deleted. */
async function accountStillServes(file: string): Promise<void> {
  expect((await fs.list("/")).status).toBe(200);
  expect((await fs.create("/still/alive", "ok")).status).toBe(201);
  expect(await fs.content("/still/alive")).toBe("ok");
  expectBoolean(await fs.op("DELETE", file, "op=DELETE"), true);
  expect(await fs.exists(file)).toBe(false);
}

describe("issue 16 finding 1: numbers out of range are refused before they are stored", () => {
  test("SETEXPIRY RelativeToNow 9999999999999999 is 400 IllegalArgumentException; the account keeps serving, also after a restart", async () => {
    await fs.create("/p1/file", "data");
    const res = await expiry("/p1/file", "expiryOption=RelativeToNow&expireTime=9999999999999999");
    expect(expectRemote(res, 400, "IllegalArgumentException").message).toContain("expireTime");
    expect((await fs.fileStatus("/p1/file")).msExpirationTime).toBe(0);
    await fx.emu.restart();
    await accountStillServes("/p1/file");
  });

  test("SETTIMES modificationtime=9999999999999999 is 400; the account keeps serving, also after a restart", async () => {
    await fs.create("/p2/file", "data");
    const before = await fs.fileStatus("/p2/file");
    for (const query of ["modificationtime=9999999999999999", "accesstime=9999999999999999"]) {
      const res = await fs.op("PUT", "/p2/file", `op=SETTIMES&${query}`);
      expectRemote(res, 400, "IllegalArgumentException");
    }
    expect(await fs.fileStatus("/p2/file")).toEqual(before);
    await fx.emu.restart();
    await accountStillServes("/p2/file");
  });

  test("times up to the end of year 9999 are stored and read back; -1 leaves a time unchanged", async () => {
    await fs.create("/p3/file", "data");
    const before = await fs.fileStatus("/p3/file");
    expect((await fs.op("PUT", "/p3/file", `op=SETTIMES&modificationtime=${YEAR_9999_END}`)).status).toBe(
      200,
    );
    expect((await fs.op("PUT", "/p3/file", "op=SETTIMES&modificationtime=-1&accesstime=-1")).status).toBe(
      200,
    );
    expect(await fs.fileStatus("/p3/file")).toMatchObject({
      modificationTime: YEAR_9999_END,
      accessTime: before.accessTime,
    });
    expect((await expiry("/p3/file", `expiryOption=Absolute&expireTime=${YEAR_9999_END}`)).status).toBe(200);
    expect((await fs.fileStatus("/p3/file")).msExpirationTime).toBe(YEAR_9999_END);
    // Relative options add to now or to the creation time: the sum is what must stay within year 9999.
    for (const option of ["RelativeToNow", "RelativeToCreationDate"]) {
      const res = await expiry("/p3/file", `expiryOption=${option}&expireTime=${YEAR_9999_END}`);
      expectRemote(res, 400, "IllegalArgumentException");
    }
    expect((await fs.fileStatus("/p3/file")).msExpirationTime).toBe(YEAR_9999_END);
  });

  const OUT_OF_RANGE = [
    "9999999999999999",
    String(2 ** 53),
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "1e3",
    "1.5",
    "0x10",
    " 1",
    "",
  ];

  test("every numeric parameter refuses values outside its range with 400 IllegalArgumentException and changes nothing", async () => {
    await fs.create("/p4/file", "data");
    const before = await fs.fileStatus("/p4/file");
    let attempts = 0;
    for (const [op, method, name, extra] of NUMERIC_PARAMETER_CALLS) {
      // Negative numbers are refused everywhere except the -1 ("unchanged") of SETTIMES.
      const values = [...OUT_OF_RANGE, name === "modificationtime" || name === "accesstime" ? "-2" : "-1"];
      // An empty value means "absent" to every client; only a required one is an error.
      for (const value of values.filter((v) => v !== "" || name === "expireTime")) {
        const target = op === "LISTSTATUS" || op === "MKDIRS" ? "/p4" : "/p4/file";
        const query = `op=${op}&${extra ? `${extra}&` : ""}${name}=${encodeURIComponent(value)}`;
        const res = await fx.call(method, target, query, op === "APPEND" ? { body: "x" } : {});
        expect(res.status, `${method} ${query}: ${res.text}`).toBe(400);
        expectRemote(res, 400, "IllegalArgumentException");
        attempts++;
      }
    }
    expect(attempts).toBeGreaterThan(140);
    expect(await fs.fileStatus("/p4/file")).toEqual(before);
    expect(await fs.content("/p4/file")).toBe("data");
    await accountStillServes("/p4/file");
  });

  test("a data directory poisoned by an older emulator: after a restart the account serves and the file is deletable", async () => {
    await fs.create("/p5/poisoned", "data");
    await fs.create("/p5/other", "other");
    const db = path.join(fx.emu.dataDir, "fs", fx.account, "metadata.db");
    // What the old SETEXPIRY and SETTIMES stored: integers node:sqlite refuses to read back, in a database
    // without a schema version (as every emulator before the fix left it).
    await fx.emu.restart(() => {
      const sqlite = new DatabaseSync(db);
      try {
        sqlite.exec("PRAGMA user_version = 0");
        sqlite
          .prepare("UPDATE nodes SET expiry = ?, modified = ?, created = ? WHERE name = 'poisoned'")
          .run(BigInt(Date.now()) + 9999999999999999n, 9999999999999999n, 9999999999999999n);
      } finally {
        sqlite.close();
      }
    });
    expect((await fs.fileStatus("/p5/other")).length).toBe(5);
    const status = await fs.fileStatus("/p5/poisoned");
    expect(status.msExpirationTime).toBe(YEAR_9999_END);
    expect(status.modificationTime).toBe(YEAR_9999_END);
    expect(await fs.content("/p5/poisoned")).toBe("data");
    await accountStillServes("/p5/poisoned");
  });
});
