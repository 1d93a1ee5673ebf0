import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type FsFixture, startFsFixture } from "../helpers/webhdfs-fixture.js";
import { expectRemote, fsCalls } from "../webhdfs/fs-calls.js";

/**
 * Issue 16, finding 6: GETCONTENTSUMMARY counted files and bytes inside directories the caller may not list.
 * As in HDFS, the summary needs r-x on every directory it walks (empty ones too), else 403.
 */
let fx: FsFixture;
let fs: ReturnType<typeof fsCalls>;
const A = randomUUID();
const asB = { as: "other" as const };

beforeAll(async () => {
  fx = await startFsFixture("summary");
  fs = fsCalls(fx);
  await fs.op("PUT", "/", `op=MODIFYACLENTRIES&aclSpec=user:${fx.other.objectId}:--x`);
  // /cs (755) holds /cs/open (755, a file) and /cs/closed (700, two files); all A's.
  await fs.create("/cs/open/f", "12345");
  await fs.create("/cs/closed/secret1", "1234567890");
  await fs.create("/cs/closed/secret2", "1234567890");
  await fs.create("/cs2/closed-empty/.keep", "");
  await fs.op("DELETE", "/cs2/closed-empty/.keep", "op=DELETE");
  for (const [p, permission] of [
    ["/cs", "755"],
    ["/cs/open", "755"],
    ["/cs/closed", "700"],
    ["/cs2", "755"],
    ["/cs2/closed-empty", "700"],
  ] as const) {
    expect((await fs.op("PUT", p, `op=SETPERMISSION&permission=${permission}`)).status).toBe(200);
    expect((await fs.op("PUT", p, `op=SETOWNER&owner=${A}`)).status).toBe(200);
  }
});
afterAll(() => fx?.close());

const summary = (p: string, options = {}) => fs.op("GET", p, "op=GETCONTENTSUMMARY", options);

describe("issue 16 finding 6: GETCONTENTSUMMARY needs r-x on every directory it walks", () => {
  test("a subdirectory the caller cannot list makes the summary 403 AccessControlException", async () => {
    const res = await summary("/cs", asB);
    const remote = expectRemote(res, 403, "AccessControlException");
    // Nothing about the hidden files leaks through the error.
    expect(res.text).not.toMatch(/secret|"length"|fileCount/);
    expect(remote.message).toContain("GETCONTENTSUMMARY");
  });

  test("an empty directory without r-x also refuses it (HDFS checks every directory walked)", async () => {
    expectRemote(await summary("/cs2", asB), 403, "AccessControlException");
  });

  test("what the caller may list is summarised as before; the super-user sees everything", async () => {
    const open = await summary("/cs/open", asB);
    expect(open.status, open.text).toBe(200);
    expect(open.json().ContentSummary).toMatchObject({ directoryCount: 1, fileCount: 1, length: 5 });
    const all = await summary("/cs");
    expect(all.json().ContentSummary).toMatchObject({ directoryCount: 3, fileCount: 3, length: 25 });
    // A file needs only traverse on the way to it.
    const file = await summary("/cs/open/f", asB);
    expect(file.json().ContentSummary).toMatchObject({ directoryCount: 0, fileCount: 1, length: 5 });
  });
});
