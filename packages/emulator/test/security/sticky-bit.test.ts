import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type FsFixture, startFsFixture } from "../helpers/webhdfs-fixture.js";
import { expectBoolean, expectRemote, fsCalls } from "../webhdfs/fs-calls.js";

/**
 * Issue 16, finding 3: in a sticky (1777) directory only an entry's owner, the directory's owner or a super-user
 * may remove or replace the entry. DELETE and RENAME applied that; CREATE overwrite, MSCONCAT/CONCAT sources and
 * SETEXPIRY (which schedules a removal) did not. Every operation that deletes or replaces an entry now applies
 * the same rule. A's items are made by the super-user and given to A, a principal that never calls; B is the
 * fixture's other principal. A's file is 666, so B could write it: only the sticky rule stands in the way.
 */
let fx: FsFixture;
let fs: ReturnType<typeof fsCalls>;
const A = randomUUID();
const asB = { as: "other" as const };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  fx = await startFsFixture("sticky");
  fs = fsCalls(fx);
  await fs.op("PUT", "/", `op=MODIFYACLENTRIES&aclSpec=user:${fx.other.objectId}:--x`);
});
afterAll(() => fx?.close());

/** `/{root}` 1777 owned by A, holding A's file `a` (666) and B's file `b`; `/{root}-out` is B's to write in. */
async function scenario(root: string): Promise<void> {
  expect((await fs.mkdirs(root, "permission=1777")).status).toBe(200);
  expect((await fs.op("PUT", root, `op=SETOWNER&owner=${A}`)).status).toBe(200);
  expect((await fs.create(`${root}/a`, "A's data", "overwrite=true&permission=666")).status).toBe(201);
  expect((await fs.op("PUT", `${root}/a`, `op=SETOWNER&owner=${A}`)).status).toBe(200);
  expect((await fs.create(`${root}/b`, "B's data", "overwrite=true", asB)).status).toBe(201);
  expect((await fs.mkdirs(`${root}-out`, "permission=777")).status).toBe(200);
}

const expiry = (p: string, query: string, options = {}) =>
  fx.call("PUT", p, `op=SETEXPIRY&${query}`, { prefix: "/WebHdfsExt", ...options });
const msconcat = (dest: string, sources: string[]) =>
  fx.call("POST", dest, "op=MSCONCAT", { ...asB, body: JSON.stringify({ sources }) });

type Attempt = (root: string) => ReturnType<FsFixture["call"]>;
const REFUSED: Array<[string, Attempt]> = [
  ["CREATE overwrite=true over A's file", (r) => fs.create(`${r}/a`, "B's", "overwrite=true", asB)],
  ["MSCONCAT consuming A's file", (r) => msconcat(`${r}-out/x`, [`${r}/a`])],
  ["MSCONCAT consuming A's file onto B's file", (r) => msconcat(`${r}/b`, [`${r}/a`])],
  ["CONCAT consuming A's file", (r) => fs.op("POST", `${r}/b`, `op=CONCAT&sources=${r}/a`, asB)],
  [
    "SETEXPIRY Absolute expireTime=1 on A's file",
    (r) => expiry(`${r}/a`, "expiryOption=Absolute&expireTime=1", asB),
  ],
  [
    "SETEXPIRY RelativeToNow expireTime=1 on A's file",
    (r) => expiry(`${r}/a`, "expiryOption=RelativeToNow&expireTime=1", asB),
  ],
  [
    "SETEXPIRY RelativeToCreationDate expireTime=1 on A's file",
    (r) => expiry(`${r}/a`, "expiryOption=RelativeToCreationDate&expireTime=1", asB),
  ],
  [
    "RENAME B's file over A's file (overwrite)",
    (r) => fs.op("PUT", `${r}/b`, `op=RENAME&destination=${r}/a&renameoptions=OVERWRITE`, asB),
  ],
  ["RENAME A's file away", (r) => fs.op("PUT", `${r}/a`, `op=RENAME&destination=${r}-out/a`, asB)],
  ["DELETE A's file", (r) => fs.op("DELETE", `${r}/a`, "op=DELETE", asB)],
];

describe("issue 16 finding 3: one sticky rule for every operation that deletes or replaces an entry", () => {
  REFUSED.forEach(([name, attempt], i) => {
    test(`${name}: 403 AccessControlException, A's file stays`, async () => {
      const root = `/s${i}`;
      await scenario(root);
      expectRemote(await attempt(root), 403, "AccessControlException");
      // An expiry that got through would purge the file at the next request.
      await sleep(5);
      const status = await fs.fileStatus(`${root}/a`);
      expect(status).toMatchObject({ owner: A, length: 8, msExpirationTime: 0 });
      expect(await fs.content(`${root}/a`)).toBe("A's data");
      expect(await fs.content(`${root}/b`)).toBe("B's data");
      expect(await fs.exists(`${root}-out/x`)).toBe(false);
    });
  });

  test("B does all of it to its own file in the same sticky directory", async () => {
    await scenario("/own");
    expect((await fs.create("/own/b", "B2", "overwrite=true", asB)).status).toBe(201);
    expect((await fs.create("/own/c", "C", "overwrite=true", asB)).status).toBe(201);
    expect((await msconcat("/own/b", ["/own/c"])).status).toBe(200);
    expect(await fs.content("/own/b")).toBe("B2C");
    expect((await expiry("/own/b", "expiryOption=Absolute&expireTime=1", asB)).status).toBe(200);
    await sleep(5);
    expect(await fs.exists("/own/b")).toBe(false);
    expect((await fs.create("/own/d", "D", "overwrite=true", asB)).status).toBe(201);
    expectBoolean(await fs.op("DELETE", "/own/d", "op=DELETE", asB), true);
    expect(await fs.content("/own/a")).toBe("A's data");
  });

  test("a super-user may replace and expire A's file in the sticky directory", async () => {
    await scenario("/su");
    expect((await fs.create("/su/a", "replaced", "overwrite=true")).status).toBe(201);
    expect((await expiry("/su/a", "expiryOption=Absolute&expireTime=1")).status).toBe(200);
    await sleep(5);
    expect(await fs.exists("/su/a")).toBe(false);
  });
});
