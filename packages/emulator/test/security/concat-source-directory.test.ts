import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type FsFixture, startFsFixture } from "../helpers/webhdfs-fixture.js";
import { expectRemote, fsCalls } from "../webhdfs/fs-calls.js";

/**
 * Issue 16, finding 2: MSCONCAT `deleteSourceDirectory=true` removed the directory holding the sources with only
 * write+execute on that directory checked, so a principal that could drop a segment into a shared directory
 * deleted everything else in it. Removing that directory now takes exactly what a recursive DELETE of it takes:
 * write+execute on its parent, the sticky rule there, and rwx on every non-empty directory below.
 *
 * A is a principal that never calls (its items are made by the super-user and given to it); B is the fixture's
 * other principal, an ordinary one.
 */
let fx: FsFixture;
let fs: ReturnType<typeof fsCalls>;
const A = randomUUID();
const asB = { as: "other" as const };

beforeAll(async () => {
  fx = await startFsFixture("concatdir");
  fs = fsCalls(fx);
  await fs.op("PUT", "/", `op=MODIFYACLENTRIES&aclSpec=user:${fx.other.objectId}:--x`);
  // Where B may write its result.
  await fs.mkdirs("/out", "permission=777");
});
afterAll(() => fx?.close());

/** A directory (or file) made by the super-user, then given to A with `permission`. */
async function ownedByA(p: string, permission: string, content?: string): Promise<void> {
  const res = content === undefined ? await fs.mkdirs(p) : await fs.create(p, content);
  expect(res.status, res.text).toBeLessThan(300);
  expect((await fs.op("PUT", p, `op=SETPERMISSION&permission=${permission}`)).status).toBe(200);
  expect((await fs.op("PUT", p, `op=SETOWNER&owner=${A}`)).status).toBe(200);
}

const msconcat = (dest: string, sources: string[]) =>
  fx.call("POST", dest, "op=MSCONCAT&deleteSourceDirectory=true", {
    ...asB,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ sources }),
  });

describe("issue 16 finding 2: MSCONCAT deleteSourceDirectory=true needs what a recursive DELETE needs", () => {
  test("the issue's repro: /team 777 of A holding /team/private 700; B's segment in /team: 403, nothing changes", async () => {
    await ownedByA("/team", "777");
    await ownedByA("/team/private", "700");
    await ownedByA("/team/private/file", "600", "A's data");
    expect((await fs.create("/team/b.seg", "B's segment", "overwrite=true", asB)).status).toBe(201);

    expectRemote(await msconcat("/out/x", ["/team/b.seg"]), 403, "AccessControlException");
    // The same request as a recursive DELETE of /team is refused too: the rule is the same.
    expectRemote(await fs.op("DELETE", "/team", "op=DELETE&recursive=true", asB), 403);
    expect(await fs.content("/team/private/file")).toBe("A's data");
    expect(await fs.content("/team/b.seg")).toBe("B's segment");
    expect(await fs.exists("/out/x")).toBe(false);
  });

  test("with write on the parent, a closed non-empty directory below still refuses it: 403, nothing changes", async () => {
    await ownedByA("/shared", "777");
    await ownedByA("/shared/team", "777");
    await ownedByA("/shared/team/private", "700");
    await ownedByA("/shared/team/private/file", "600", "A's data");
    expect((await fs.create("/shared/team/b.seg", "seg", "overwrite=true", asB)).status).toBe(201);

    expectRemote(await msconcat("/out/y", ["/shared/team/b.seg"]), 403, "AccessControlException");
    expect(await fs.names("/shared/team")).toEqual(["b.seg", "private"]);
    expect(await fs.content("/shared/team/private/file")).toBe("A's data");
    expect(await fs.exists("/out/y")).toBe(false);
  });

  test("a sticky parent keeps another's directory: 403, nothing changes", async () => {
    await ownedByA("/sticky", "1777");
    await ownedByA("/sticky/team", "777");
    expect((await fs.create("/sticky/team/b.seg", "seg", "overwrite=true", asB)).status).toBe(201);

    expectRemote(await msconcat("/out/z", ["/sticky/team/b.seg"]), 403, "AccessControlException");
    expect(await fs.names("/sticky/team")).toEqual(["b.seg"]);
  });

  test("B's own segment directory is concatenated and removed as before (empty closed directories below do not count)", async () => {
    expect((await fs.mkdirs("/up", "permission=777")).status).toBe(200);
    for (const [i, part] of ["one ", "two"].entries())
      expect((await fs.create(`/up/big.segments/big_${i}`, part, "overwrite=true", asB)).status).toBe(201);
    await ownedByA("/up/big.segments/empty", "700");

    const res = await msconcat("/up/big", ["/up/big.segments/big_0", "/up/big.segments/big_1"]);
    expect(res.status, res.text).toBe(200);
    expect(await fs.content("/up/big")).toBe("one two");
    expect(await fs.exists("/up/big.segments")).toBe(false);
  });
});
