import { randomUUID } from "node:crypto";
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

const asOther = { as: "other" as const };

describe("authentication", () => {
  test("no Authorization header is 401 SecurityException", async () => {
    const res = await fx.emu.request("GET", `${fx.accountUrl}/webhdfs/v1/?op=GETFILESTATUS`);
    const remote = expectRemote(res, 401, "SecurityException");
    expect(remote.javaClassName).toBe("java.lang.SecurityException");
  });

  test("a token for another audience, or a forged one, is 401", async () => {
    const arm = await fx.emu.token("https://management.core.windows.net/");
    const wrongAudience = await fx.call("GET", "/", "op=GETFILESTATUS", {
      headers: { authorization: `Bearer ${arm}` },
    });
    expect(remoteFor(wrongAudience, 401).message).toContain("audience");
    const good = await fx.tokenFor("owner");
    const [h, p] = good.split(".");
    const forged = await fx.call("GET", "/", "op=GETFILESTATUS", {
      headers: { authorization: `Bearer ${h}.${p}.AAAA` },
    });
    expectRemote(forged, 401, "SecurityException");
  });

  test("an account the emulator does not have is 404", async () => {
    const token = await fx.tokenFor("owner");
    const res = await fx.emu.request("GET", `${fx.emu.url}/nosuchacct/webhdfs/v1/?op=GETFILESTATUS`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(remoteFor(res, 404).message).toContain("nosuchacct");
  });

  test("the journal records the operation and the caller's object id", async () => {
    await fx.call("GET", "/", "op=LISTSTATUS", asOther);
    const last = fx.emu.emulator.services.journal.entries((e) => e.account === fx.account).pop()!;
    expect(last).toMatchObject({ op: "LISTSTATUS", principal: fx.other.objectId, status: 403 });
  });
});

function remoteFor(res: Awaited<ReturnType<FsFixture["call"]>>, status: number) {
  return expectRemote(res, status);
}

describe("permissions are enforced for a principal that is not a super-user", () => {
  test("without any grant it can neither list, create, read nor delete, and changes nothing", async () => {
    await fs.create("/z1/secret", "owner data");
    expectRemote(await fs.list("/", "", asOther), 403, "AccessControlException");
    expectRemote(await fs.create("/z1/new", "x", "overwrite=true", asOther), 403, "AccessControlException");
    expectRemote(await fs.mkdirs("/z1b", "", asOther), 403, "AccessControlException");
    expectRemote(await fs.open("/z1/secret", "", asOther), 403, "AccessControlException");
    expectRemote(await fs.append("/z1/secret", "x", "", asOther), 403, "AccessControlException");
    expectRemote(await fs.op("DELETE", "/z1/secret", "op=DELETE", asOther), 403, "AccessControlException");
    expectRemote(
      await fs.op("PUT", "/z1/secret", "op=RENAME&destination=z1%2Fstolen", asOther),
      403,
      "AccessControlException",
    );
    expectRemote(
      await fs.op("PUT", "/z1/secret", "op=SETPERMISSION&permission=777", asOther),
      403,
      "AccessControlException",
    );
    expectRemote(
      await fs.op("PUT", "/z1/secret", `op=MODIFYACLENTRIES&aclSpec=user:${fx.other.objectId}:rwx`, asOther),
      403,
    );
    expect(await fs.content("/z1/secret")).toBe("owner data");
    expect(await fs.exists("/z1/new")).toBe(false);
    expect(await fs.exists("/z1b")).toBe(false);
    expect((await fs.acl("/z1/secret")).entries).toEqual(["user::rwx", "group::rwx", "other::---"]);
  });

  test("named ACL entries grant exactly what they say, limited by the mask", async () => {
    const me = fx.other.objectId;
    await fs.create("/z2/shared/file", "shared");
    await fs.op("PUT", "/", `op=MODIFYACLENTRIES&aclSpec=user:${me}:--x`);
    await fs.op("PUT", "/z2", `op=MODIFYACLENTRIES&aclSpec=user:${me}:--x`);
    await fs.op("PUT", "/z2/shared", `op=MODIFYACLENTRIES&aclSpec=user:${me}:rwx`);
    await fs.op("PUT", "/z2/shared/file", `op=MODIFYACLENTRIES&aclSpec=user:${me}:r--`);
    expect(await fs.names("/z2/shared")).toEqual(["file"]);
    expect((await fs.open("/z2/shared/file", "", asOther)).text).toBe("shared");
    expectRemote(await fs.append("/z2/shared/file", "x", "", asOther), 403, "AccessControlException");
    expect((await fs.op("GET", "/z2/shared/file", "op=CHECKACCESS&fsaction=r--", asOther)).status).toBe(200);
    expectRemote(
      await fs.op("GET", "/z2/shared/file", "op=CHECKACCESS&fsaction=rw-", asOther),
      403,
      "AccessControlException",
    );
    // It may create in the shared directory; it owns what it creates.
    expect((await fs.create("/z2/shared/mine", "mine", "overwrite=true", asOther)).status).toBe(201);
    expect((await fs.fileStatus("/z2/shared/mine")).owner).toBe(me);
    // The mask limits named entries: mask r-x takes w away again.
    await fs.op("PUT", "/z2/shared", "op=SETPERMISSION&permission=750");
    expectRemote(
      await fs.create("/z2/shared/more", "x", "overwrite=true", asOther),
      403,
      "AccessControlException",
    );
    // Not listed on /z2 with r: cannot list it.
    expectRemote(await fs.list("/z2", "", asOther), 403, "AccessControlException");
  });

  test("an owner that is not a super-user may chmod its item and chgrp only to its own group, never chown", async () => {
    const me = fx.other.objectId;
    await fs.mkdirs("/z3/drop");
    await fs.op("PUT", "/", `op=MODIFYACLENTRIES&aclSpec=user:${me}:--x`);
    await fs.op("PUT", "/z3", `op=MODIFYACLENTRIES&aclSpec=user:${me}:--x`);
    await fs.op("PUT", "/z3/drop", `op=MODIFYACLENTRIES&aclSpec=user:${me}:rwx`);
    await fs.create("/z3/drop/mine", "x", "overwrite=true", asOther);
    expect((await fs.op("PUT", "/z3/drop/mine", "op=SETPERMISSION&permission=700", asOther)).status).toBe(
      200,
    );
    expect((await fs.op("PUT", "/z3/drop/mine", `op=SETOWNER&group=${me}`, asOther)).status).toBe(200);
    const chown = await fs.op("PUT", "/z3/drop/mine", `op=SETOWNER&owner=${randomUUID()}`, asOther);
    expect(expectRemote(chown, 403, "AccessControlException").message).toMatch(
      /^Set Owner failed with {2}failed with error/,
    );
    expect(await fs.fileStatus("/z3/drop/mine")).toMatchObject({ owner: me, group: me, permission: "700" });
  });

  test("a sticky directory lets only an item's owner delete or rename it", async () => {
    const me = fx.other.objectId;
    await fs.create("/z4/sticky/owners", "x");
    await fs.op("PUT", "/", `op=MODIFYACLENTRIES&aclSpec=user:${me}:--x`);
    await fs.op("PUT", "/z4", `op=MODIFYACLENTRIES&aclSpec=user:${me}:--x`);
    await fs.op("PUT", "/z4/sticky", `op=MODIFYACLENTRIES&aclSpec=user:${me}:rwx`);
    await fs.op("PUT", "/z4/sticky", "op=SETPERMISSION&permission=1770");
    expectRemote(
      await fs.op("DELETE", "/z4/sticky/owners", "op=DELETE", asOther),
      403,
      "AccessControlException",
    );
    expectRemote(
      await fs.op("PUT", "/z4/sticky/owners", "op=RENAME&destination=z4%2Fsticky%2Fx", asOther),
      403,
    );
    await fs.create("/z4/sticky/theirs", "y", "overwrite=true", asOther);
    expectBoolean(await fs.op("DELETE", "/z4/sticky/theirs", "op=DELETE", asOther), true);
    expect(await fs.exists("/z4/sticky/owners")).toBe(true);
  });
});

describe("super-users from config", () => {
  test("an object id in config.superUsers bypasses every check", async () => {
    const superId = randomUUID();
    const other = await startFsFixture("acct2", { superUsers: [superId], otherObjectId: superId });
    try {
      const ofs = fsCalls(other);
      await ofs.create("/locked/file", "x");
      await ofs.op("PUT", "/locked/file", "op=SETPERMISSION&permission=000");
      expect((await ofs.open("/locked/file", "", asOther)).text).toBe("x");
      expect((await ofs.op("PUT", "/locked/file", `op=SETOWNER&owner=${superId}`, asOther)).status).toBe(200);
      expect((await ofs.fileStatus("/locked/file")).owner).toBe(superId);
    } finally {
      await other.close();
    }
  });
});
