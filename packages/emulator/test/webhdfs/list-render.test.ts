import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type FsFixture, startFsFixture } from "../helpers/webhdfs-fixture.js";
import { fsCalls } from "./fs-calls.js";

/**
 * LISTSTATUS renders its page as text (no object per entry); every entry must still be exactly what
 * GETFILESTATUS of that child says, byte for byte, with the name as `pathSuffix`.
 */
let fx: FsFixture;
let fs: ReturnType<typeof fsCalls>;
beforeAll(async () => {
  fx = await startFsFixture();
  fs = fsCalls(fx);
});
afterAll(() => fx?.close());

describe("LISTSTATUS entries", () => {
  test("equal GETFILESTATUS of each child, key order included", async () => {
    const dir = "/render";
    const names = ['q"uote', "back\\slash", "ünïcødé 日本", "plain.txt", "sub"];
    for (const name of names.slice(0, -1))
      expect((await fs.create(`${dir}/${name}`, "abc")).status).toBe(201);
    expect((await fs.mkdirs(`${dir}/sub`, "permission=1750")).status).toBe(200);
    expect(
      (await fs.op("PUT", `${dir}/plain.txt`, "op=SETEXPIRY&expiryOption=Absolute&expireTime=99999999999999"))
        .status,
    ).toBe(200);
    const acl = `user:${fx.other.objectId}:r-x`;
    expect(
      (await fs.op("PUT", `${dir}/sub`, `op=MODIFYACLENTRIES&aclSpec=${acl},default:${acl}`)).status,
    ).toBe(200);
    expect((await fs.op("PUT", `${dir}/back\\slash`, "op=SETPERMISSION&permission=640")).status).toBe(200);

    for (const query of ["", "listSize=2", "listSize=2&listAfter=plain.txt"]) {
      const listed = await fs.list(dir, query);
      expect(listed.status, listed.text).toBe(200);
      const entries = listed.json<{ FileStatuses: { FileStatus: Array<{ pathSuffix: string }> } }>()
        .FileStatuses.FileStatus;
      expect(entries.length).toBeGreaterThan(0);
      for (const entry of entries) {
        const own = (await fs.status(`${dir}/${entry.pathSuffix}`)).json<{
          FileStatus: Record<string, unknown>;
        }>().FileStatus;
        expect(JSON.stringify(entry)).toBe(JSON.stringify({ ...own, pathSuffix: entry.pathSuffix }));
      }
    }
    const all = await fs.list(dir);
    expect(all.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(Number(all.headers["content-length"])).toBe(all.body.length);
    expect(await fs.names(dir)).toEqual([...names].sort());
  });

  test("stay exact when owner, group and ACL change between neighbours, pages and directories", async () => {
    // The listing query leaves out values equal to the last listed row's; every change must still show.
    const dir = "/mixed";
    for (let i = 0; i < 6; i++) expect((await fs.create(`${dir}/f${i}`, "x")).status).toBe(201);
    expect((await fs.op("PUT", `${dir}/f1`, "op=SETOWNER&owner=O-1&group=G-1")).status).toBe(200);
    expect((await fs.op("PUT", `${dir}/f2`, "op=SETOWNER&group=G-1")).status).toBe(200);
    expect((await fs.op("PUT", `${dir}/f3`, "op=SETOWNER&owner=O-1")).status).toBe(200);
    expect((await fs.op("PUT", `${dir}/f4`, "op=SETPERMISSION&permission=700")).status).toBe(200);
    for (const query of ["", "listSize=1", "listSize=2", "listSize=4"])
      for (const otherInBetween of [false, true]) {
        let after = "";
        for (;;) {
          const page = await fs.list(dir, `${query}${after ? `&listAfter=${after}` : ""}`);
          const body = page.json<{
            FileStatuses: { continuationToken: string; FileStatus: Array<{ pathSuffix: string }> };
          }>().FileStatuses;
          for (const entry of body.FileStatus) {
            const own = (await fs.status(`${dir}/${entry.pathSuffix}`)).json<{
              FileStatus: Record<string, unknown>;
            }>().FileStatus;
            expect(JSON.stringify(entry)).toBe(JSON.stringify({ ...own, pathSuffix: entry.pathSuffix }));
          }
          // Another directory listed in between: its rows become "the last listed".
          if (otherInBetween) expect((await fs.list("/render", "listSize=1")).status).toBe(200);
          if (!body.continuationToken) break;
          after = body.continuationToken;
        }
      }
  });
});
