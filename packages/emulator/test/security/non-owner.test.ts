import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type FsFixture, startFsFixture } from "../helpers/webhdfs-fixture.js";
import { expectRemote, fsCalls } from "../webhdfs/fs-calls.js";

/**
 * Issue 7: who may do what, beyond test/webhdfs/authorization.test.ts (which covers a principal with no grant
 * at all). Here the other principal has a directory of its own (`/drop`, rwx) and traverse on the root, so every
 * refusal below is about the item it touches, not about reaching it: moving, joining, deleting, overwriting or
 * re-permissioning what the owner keeps. Each refusal is a 403 AccessControlException and changes nothing.
 */
let fx: FsFixture;
let fs: ReturnType<typeof fsCalls>;
const asOther = { as: "other" as const };

/** One scenario per test, under its own root, so a wrongly allowed call cannot spill into the next test. */
async function scenario(root: string) {
  const me = fx.other.objectId;
  expect((await fs.create(`${root}/private/secret`, "owner secret")).status).toBe(201);
  expect((await fs.mkdirs(`${root}/drop`)).status).toBe(200);
  await fs.op("PUT", root, `op=MODIFYACLENTRIES&aclSpec=user:${me}:--x`);
  await fs.op("PUT", `${root}/drop`, `op=MODIFYACLENTRIES&aclSpec=user:${me}:rwx`);
  // In the other's directory, the owner keeps a read-only file and a closed directory.
  expect(
    (await fs.create(`${root}/drop/ownerfile`, "owner file", "overwrite=true&permission=644")).status,
  ).toBe(201);
  expect((await fs.create(`${root}/drop/ownerdir/inner`, "inner")).status).toBe(201);
  await fs.op("PUT", `${root}/drop/ownerdir`, "op=SETPERMISSION&permission=700");
  // The other's own file.
  expect((await fs.create(`${root}/drop/mine`, "mine", "overwrite=true", asOther)).status).toBe(201);
  expect((await fs.fileStatus(`${root}/drop/mine`)).owner).toBe(me);
}

/** The owner's state that no refused call may change (access times aside). */
async function ownerState(root: string) {
  const status = async (p: string) => ({ ...(await fs.fileStatus(p)), accessTime: 0 });
  return {
    secret: await fs.content(`${root}/private/secret`),
    secretStatus: await status(`${root}/private/secret`),
    secretAcl: await fs.acl(`${root}/private/secret`),
    ownerFile: await fs.content(`${root}/drop/ownerfile`),
    ownerFileStatus: await status(`${root}/drop/ownerfile`),
    ownerFileAcl: await fs.acl(`${root}/drop/ownerfile`),
    ownerDirStatus: await status(`${root}/drop/ownerdir`),
    locked: await fs.content(`${root}/drop/ownerdir/inner`),
    privateNames: await fs.names(`${root}/private`),
    dropNames: await fs.names(`${root}/drop`),
    mine: await fs.content(`${root}/drop/mine`),
  };
}

beforeAll(async () => {
  fx = await startFsFixture("nonowner");
  fs = fsCalls(fx);
  await fs.op("PUT", "/", `op=MODIFYACLENTRIES&aclSpec=user:${fx.other.objectId}:--x`);
}, 60_000);
afterAll(() => fx?.close());

type Call = (r: string) => ReturnType<FsFixture["call"]>;
const msconcat = (target: string, sources: string[]) =>
  fx.call("POST", target, "op=MSCONCAT", { ...asOther, body: JSON.stringify({ sources }) });

const REFUSED: Array<[string, Call]> = [
  [
    "RENAME the owner's file out of private/",
    (r) => fs.op("PUT", `${r}/private/secret`, `op=RENAME&destination=${r}/drop/stolen`, asOther),
  ],
  [
    "RENAME its own file into private/",
    (r) => fs.op("PUT", `${r}/drop/mine`, `op=RENAME&destination=${r}/private/planted`, asOther),
  ],
  [
    "RENAME the content of the owner's closed directory",
    (r) => fs.op("PUT", `${r}/drop/ownerdir/inner`, `op=RENAME&destination=${r}/drop/inner`, asOther),
  ],
  [
    "DELETE the owner's file in private/",
    (r) => fs.op("DELETE", `${r}/private/secret`, "op=DELETE", asOther),
  ],
  [
    "DELETE private/ recursively",
    (r) => fs.op("DELETE", `${r}/private`, "op=DELETE&recursive=true", asOther),
  ],
  [
    "MSCONCAT the owner's secret into a new file of its own",
    (r) => msconcat(`${r}/drop/stolen`, [`${r}/private/secret`]),
  ],
  [
    "MSCONCAT the owner's secret onto its own file",
    (r) => msconcat(`${r}/drop/mine`, [`${r}/private/secret`]),
  ],
  [
    "CONCAT the owner's secret onto its own file",
    (r) => fs.op("POST", `${r}/drop/mine`, `op=CONCAT&sources=${r}/private/secret`, asOther),
  ],
  ["MSCONCAT its own file onto the owner's file", (r) => msconcat(`${r}/drop/ownerfile`, [`${r}/drop/mine`])],
  [
    "CONCAT its own file onto the owner's file",
    (r) => fs.op("POST", `${r}/drop/ownerfile`, `op=CONCAT&sources=${r}/drop/mine`, asOther),
  ],
  ["APPEND to the owner's read-only file", (r) => fs.append(`${r}/drop/ownerfile`, "x", "", asOther)],
  [
    "CONCURRENTAPPEND to the owner's read-only file",
    (r) =>
      fx.call("POST", `${r}/drop/ownerfile`, "op=CONCURRENTAPPEND&appendMode=autocreate", {
        ...asOther,
        body: "x",
      }),
  ],
  [
    "SETPERMISSION on the owner's file",
    (r) => fs.op("PUT", `${r}/drop/ownerfile`, "op=SETPERMISSION&permission=777", asOther),
  ],
  [
    "SETACL on the owner's file",
    (r) =>
      fs.op(
        "PUT",
        `${r}/drop/ownerfile`,
        `op=SETACL&aclSpec=user::rwx,group::rwx,other::rwx,user:${fx.other.objectId}:rwx`,
        asOther,
      ),
  ],
  ["REMOVEACL on the owner's secret", (r) => fs.op("PUT", `${r}/private/secret`, "op=REMOVEACL", asOther)],
  [
    "SETOWNER of the owner's file to itself",
    (r) => fs.op("PUT", `${r}/drop/ownerfile`, `op=SETOWNER&owner=${fx.other.objectId}`, asOther),
  ],
  [
    "SETEXPIRY on the owner's file",
    (r) =>
      fs.op("PUT", `${r}/drop/ownerfile`, "op=SETEXPIRY&expiryOption=RelativeToNow&expireTime=1", asOther),
  ],
  [
    "SETTIMES on the owner's file",
    (r) => fs.op("PUT", `${r}/drop/ownerfile`, "op=SETTIMES&modificationtime=1&accesstime=1", asOther),
  ],
  ["OPEN the owner's secret", (r) => fs.open(`${r}/private/secret`, "", asOther)],
  ["OPEN inside the owner's closed directory", (r) => fs.open(`${r}/drop/ownerdir/inner`, "", asOther)],
  ["LISTSTATUS of the owner's closed directory", (r) => fs.list(`${r}/drop/ownerdir`, "", asOther)],
  ["GETCONTENTSUMMARY of private/", (r) => fs.op("GET", `${r}/private`, "op=GETCONTENTSUMMARY", asOther)],
];

async function expectRefusedAndUnchanged(root: string, call: Call): Promise<void> {
  await scenario(root);
  const before = await ownerState(root);
  expectRemote(await call(root), 403, "AccessControlException");
  for (const p of [`${root}/drop/stolen`, `${root}/private/planted`, `${root}/drop/inner`])
    expect(await fs.exists(p), p).toBe(false);
  expect(await ownerState(root)).toEqual(before);
}

describe("a principal with rights on its own directory only", () => {
  REFUSED.forEach(([name, call], i) => {
    test(`${name}: 403, nothing changes`, () => expectRefusedAndUnchanged(`/t${i}`, call));
  });

  // A recursive DELETE needs -wx on the parent and rwx on every non-empty directory of the subtree, as in HDFS
  // (FSDirDeleteOp: subAccess = FsAction.ALL, empty directories ignored); the reference is silent on it.
  test("DELETE of the owner's closed directory (700, not empty) recursively: 403, nothing changes", () =>
    expectRefusedAndUnchanged("/tdel", (r) =>
      fs.op("DELETE", `${r}/drop/ownerdir`, "op=DELETE&recursive=true", asOther),
    ));

  test("what it may do still works: its own file can be appended, renamed within drop/ and deleted", async () => {
    await scenario("/ok");
    expect((await fs.append("/ok/drop/mine", "!", "", asOther)).status).toBe(200);
    expect(
      (await fs.op("PUT", "/ok/drop/mine", "op=RENAME&destination=/ok/drop/mine2", asOther)).json(),
    ).toEqual({
      boolean: true,
    });
    expect(await fs.content("/ok/drop/mine2")).toBe("mine!");
    expect((await fs.op("DELETE", "/ok/drop/mine2", "op=DELETE", asOther)).json()).toEqual({ boolean: true });
    expect(await fs.content("/ok/private/secret")).toBe("owner secret");
  });
});
