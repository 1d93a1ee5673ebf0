import type { DataLakeFileSystemClient } from "@azure/storage-file-datalake";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DfsFixture, failureOf, startDfsFixture } from "./dfs-fixture.js";

/**
 * POSIX ACLs through the official @azure/storage-file-datalake, enforced per token identity as for Gen1: the
 * account's creator is super-user; a second principal of the same tenant gets what the ACLs grant, else 403
 * AuthorizationPermissionMismatch, and a refused call changes nothing.
 */
let fx: DfsFixture;
let fs: DataLakeFileSystemClient;
let theirs: DataLakeFileSystemClient;

beforeAll(async () => {
  fx = await startDfsFixture("acl");
  fs = fx.owner.client.getFileSystemClient("shared");
  await fs.create();
  theirs = fx.other.client.getFileSystemClient("shared");
}, 60_000);
afterAll(() => fx?.close());

const denied = { status: 403, code: "AuthorizationPermissionMismatch" };

/** One ACL entry as the SDK takes it: `perm` like "r-x" (omitted for removals), `scope` "default" for default ACLs. */
function entry(type: "user" | "group" | "mask" | "other", id: string, perm?: string, scope?: "default") {
  const permissions = perm
    ? { read: perm[0] === "r", write: perm[1] === "w", execute: perm[2] === "x" }
    : undefined;
  return {
    accessControlType: type,
    entityId: id,
    defaultScope: scope === "default",
    ...(permissions ? { permissions } : {}),
  } as never;
}

describe("access control", () => {
  it("getAccessControl, setAccessControl with a named user (mask, +), setPermissions, owner changes", async () => {
    const file = fs.getFileClient("acl/file.txt");
    await file.upload(Buffer.from("secret"));
    const before = await file.getAccessControl();
    expect(before.owner).toBe(fx.owner.objectId);
    expect(before.acl.map((e) => `${e.accessControlType}:${e.entityId}`)).toEqual([
      "user:",
      "group:",
      "other:",
    ]);

    const other = fx.other.objectId;
    await file.setAccessControl([
      entry("user", "", "rw-"),
      entry("user", other, "r--"),
      entry("group", "", "---"),
      entry("other", "", "---"),
    ]);
    const after = await file.getAccessControl();
    expect(after.acl.find((e) => e.entityId === other)?.permissions.read).toBe(true);
    expect(after.acl.some((e) => e.accessControlType === "mask")).toBe(true);
    expect(after.permissions?.extendedAcls).toBe(true);

    await file.setPermissions({
      owner: { read: true, write: true, execute: false },
      group: { read: true, write: false, execute: false },
      other: { read: false, write: false, execute: false },
      stickyBit: false,
      extendedAcls: false,
    });
    expect((await file.getAccessControl()).permissions?.group.read).toBe(true);
    await file.setPermissions(after.permissions!, { owner: other });
    expect((await file.getAccessControl()).owner).toBe(other);
  });

  it("a second principal: 403 without rights, allowed exactly what the ACL grants", async () => {
    const dir = fs.getDirectoryClient("private");
    await dir.create();
    await fs.getFileClient("private/data.txt").upload(Buffer.from("owner data"));
    const asOther = theirs.getFileClient("private/data.txt");
    expect(await failureOf(asOther.readToBuffer())).toEqual(denied);
    expect(await failureOf(theirs.getFileClient("private/new.txt").create())).toEqual(denied);
    expect(await failureOf(theirs.getDirectoryClient("private").delete(true))).toEqual(denied);
    expect(
      await failureOf(
        asOther.setPermissions({
          owner: { read: true, write: true, execute: true },
          group: { read: true, write: true, execute: true },
          other: { read: true, write: true, execute: true },
          stickyBit: false,
          extendedAcls: false,
        }),
      ),
    ).toEqual(denied);
    // Grant traverse on the root and the directory, read on the file: reading works, writing does not.
    const other = fx.other.objectId;
    await fs
      .getDirectoryClient("/")
      .updateAccessControlRecursive([entry("user", other, "--x")], { batchSize: 1 });
    await fs.getFileClient("private/data.txt").updateAccessControlRecursive([entry("user", other, "r--")]);
    expect((await asOther.readToBuffer()).toString()).toBe("owner data");
    expect(await failureOf(asOther.append("x", 10, 1))).toEqual(denied);
    expect(await failureOf(theirs.getFileClient("private/data.txt").move("private/renamed.txt"))).toEqual(
      denied,
    );
    expect((await fs.getFileClient("private/data.txt").readToBuffer()).toString()).toBe("owner data");
  });

  it("setAccessControlRecursive: set/modify/remove in batches with continuation, counts, failures", async () => {
    for (const f of ["rec/a/1", "rec/a/2", "rec/b/3", "rec/4"]) await fs.getFileClient(f).create();
    const dir = fs.getDirectoryClient("rec");
    const user = "11111111-2222-3333-4444-555555555555";
    let batches = 0;
    const modified = await dir.updateAccessControlRecursive(
      [entry("user", user, "r-x"), entry("user", user, "r-x", "default")],
      { batchSize: 2, onProgress: () => batches++ },
    );
    expect(modified.counters).toEqual({
      changedDirectoriesCount: 3,
      changedFilesCount: 4,
      failedChangesCount: 0,
    });
    expect(batches).toBe(4);
    expect((await fs.getFileClient("rec/a/1").getAccessControl()).acl.some((e) => e.entityId === user)).toBe(
      true,
    );
    const dirAcl = (await fs.getDirectoryClient("rec/b").getAccessControl()).acl;
    expect(dirAcl.some((e) => e.entityId === user && e.defaultScope)).toBe(true);

    const removed = await dir.removeAccessControlRecursive([
      entry("user", user),
      entry("user", user, undefined, "default"),
    ]);
    expect(removed.counters.changedFilesCount).toBe(4);
    expect((await fs.getFileClient("rec/b/3").getAccessControl()).acl.some((e) => e.entityId === user)).toBe(
      false,
    );

    // The second principal owns nothing here: every item is a failure, counted, not a request error.
    await fs
      .getDirectoryClient("rec")
      .setAccessControl([entry("user", "", "rwx"), entry("group", "", "r-x"), entry("other", "", "r-x")]);
    const failed = await theirs
      .getDirectoryClient("rec")
      .setAccessControlRecursive(
        [entry("user", "", "rwx"), entry("group", "", "rwx"), entry("other", "", "rwx")],
        { continueOnFailure: true },
      );
    expect(failed.counters).toEqual({
      changedDirectoriesCount: 0,
      changedFilesCount: 0,
      failedChangesCount: 7,
    });
  });
});
