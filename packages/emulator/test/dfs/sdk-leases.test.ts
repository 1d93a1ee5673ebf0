import { randomUUID } from "node:crypto";
import type { DataLakeFileClient, DataLakeFileSystemClient } from "@azure/storage-file-datalake";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DfsFixture, failureOf, permissionsOf, startDfsFixture } from "./dfs-fixture.js";

/**
 * Path leases through `@azure/storage-file-datalake`'s `DataLakeLeaseClient` (the Blob form, `PUT ?comp=lease`)
 * and the DFS form ABFS sends (`POST` with `x-ms-lease-action`): the actions, their refusals, and the lease
 * honoured by appends, flushes, property changes, renames and deletes, also across a restart.
 */
let fx: DfsFixture;
let fs: DataLakeFileSystemClient;

beforeAll(async () => {
  fx = await startDfsFixture("leases");
  fs = fx.owner.client.getFileSystemClient("leased");
  await fs.create();
}, 60_000);
afterAll(() => fx?.close());

async function newFile(name: string): Promise<DataLakeFileClient> {
  const file = fs.getFileClient(name);
  await file.upload(Buffer.from("0123456789"));
  return file;
}

const code = async (promise: Promise<unknown>) => failureOf(promise);

describe("DataLakeLeaseClient (Blob comp=lease)", () => {
  it("acquire: the lease shows on HEAD; writes need its id (412 LeaseIdMissing / LeaseIdMismatch) and work with it", async () => {
    const file = await newFile("a/held.txt");
    const leaseId = randomUUID();
    const lease = file.getDataLakeLeaseClient(leaseId);
    const acquired = await lease.acquireLease(15);
    expect(acquired.leaseId).toBe(leaseId);
    expect(await file.getProperties()).toMatchObject({
      leaseState: "leased",
      leaseStatus: "locked",
      leaseDuration: "fixed",
    });
    const missing = { status: 412, code: "LeaseIdMissing" };
    expect(await code(file.append(Buffer.from("x"), 10, 1))).toEqual(missing);
    expect(await code(file.flush(10))).toEqual(missing);
    expect(await code(file.setMetadata({ a: "b" }))).toEqual(missing);
    expect(await code(file.setPermissions(permissionsOf("rw-rw-rw-")))).toEqual(missing);
    expect(await code(file.delete())).toEqual(missing);
    expect(
      await code(file.append(Buffer.from("x"), 10, 1, { conditions: { leaseId: randomUUID() } })),
    ).toEqual({
      status: 412,
      code: "LeaseIdMismatch",
    });
    // Blob endpoint's own code for the same condition.
    expect(await code(file.setMetadata({ a: "b" }, { conditions: { leaseId: randomUUID() } }))).toEqual({
      status: 412,
      code: "LeaseIdMismatchWithBlobOperation",
    });
    await file.append(Buffer.from("x"), 10, 1, { conditions: { leaseId } });
    await file.flush(11, { conditions: { leaseId } });
    await file.setMetadata({ a: "b" }, { conditions: { leaseId } });
    expect((await file.readToBuffer()).toString()).toBe("0123456789x");
    await file.delete(false, { conditions: { leaseId } });
    expect(await file.exists()).toBe(false);
  });

  it("another id is 409 LeaseAlreadyPresent; change, renew, release; a released lease is gone (409, 412 LeaseNotPresent)", async () => {
    const file = await newFile("b/cycle.txt");
    const first = file.getDataLakeLeaseClient();
    await first.acquireLease(-1);
    expect(await code(file.getDataLakeLeaseClient(randomUUID()).acquireLease(20))).toEqual({
      status: 409,
      code: "LeaseAlreadyPresent",
    });
    // The same id again is a renewal.
    await first.acquireLease(-1);
    const oldId = first.leaseId;
    const newId = randomUUID();
    expect((await first.changeLease(newId)).leaseId).toBe(newId);
    expect(await code(file.getDataLakeLeaseClient(oldId).renewLease())).toEqual({
      status: 409,
      code: "LeaseIdMismatchWithLeaseOperation",
    });
    expect((await first.renewLease()).leaseId).toBe(newId);
    expect((await file.getProperties()).leaseDuration).toBe("infinite");
    await first.releaseLease();
    expect(await file.getProperties()).toMatchObject({ leaseState: "available", leaseStatus: "unlocked" });
    expect(await code(first.renewLease())).toEqual({
      status: 409,
      code: "LeaseNotPresentWithLeaseOperation",
    });
    expect(await code(file.setMetadata({ a: "b" }, { conditions: { leaseId: newId } }))).toEqual({
      status: 412,
      code: "LeaseNotPresentWithBlobOperation",
    });
    await file.setMetadata({ a: "b" });
  });

  it("break: at once (writes need no id after), or after a period (breaking: still held, cannot be acquired)", async () => {
    const file = await newFile("c/broken.txt");
    const lease = file.getDataLakeLeaseClient();
    await lease.acquireLease(-1);
    expect((await lease.breakLease(0)).leaseTime).toBe(0);
    expect((await file.getProperties()).leaseState).toBe("broken");
    await file.setMetadata({ after: "break" });

    const slow = await newFile("c/breaking.txt");
    const held = slow.getDataLakeLeaseClient();
    await held.acquireLease(-1);
    expect((await held.breakLease(30)).leaseTime).toBe(30);
    expect(await slow.getProperties()).toMatchObject({ leaseState: "breaking", leaseStatus: "locked" });
    expect(await code(slow.delete())).toEqual({ status: 412, code: "LeaseIdMissing" });
    expect(await code(slow.getDataLakeLeaseClient().acquireLease(-1))).toEqual({
      status: 409,
      code: "LeaseIsBreakingAndCannotBeAcquired",
    });
    expect(await code(held.renewLease())).toEqual({ status: 409, code: "LeaseIsBrokenAndCannotBeRenewed" });
    // A second, shorter break ends it now; a released broken lease frees the path.
    expect((await held.breakLease(0)).leaseTime).toBe(0);
    await held.releaseLease();
    await slow.delete();
  });
});

describe("DFS form (POST x-ms-lease-action) and the rest", () => {
  it("acquire 201 with x-ms-lease-id, break 202 with x-ms-lease-time; bad duration, id or action are 400", async () => {
    await newFile("d/dfs.txt");
    const post = (headers: Record<string, string>) => fx.raw("POST", "/leased/d/dfs.txt", { headers });
    const acquired = await post({ "x-ms-lease-action": "acquire", "x-ms-lease-duration": "20" });
    expect(acquired.status).toBe(201);
    const id = acquired.headers["x-ms-lease-id"] as string;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    for (const headers of [
      { "x-ms-lease-action": "acquire", "x-ms-lease-duration": "10" },
      { "x-ms-lease-action": "acquire", "x-ms-lease-duration": "61" },
      { "x-ms-lease-action": "renew", "x-ms-lease-id": "not-a-guid" },
      { "x-ms-lease-action": "steal" },
    ] as Record<string, string>[]) {
      const refused = await post(headers);
      expect(refused.status).toBe(400);
      expect(refused.json().error.code).toBe("InvalidHeaderValue");
      expect(refused.headers["x-ms-error-code"]).toBe("InvalidHeaderValue");
    }
    // A rename of the leased source needs x-ms-source-lease-id.
    const rename = (headers: Record<string, string>) =>
      fx.raw("PUT", "/leased/d/renamed.txt", {
        headers: { "x-ms-rename-source": `/${fx.account}/leased/d/dfs.txt`, ...headers },
      });
    expect((await rename({})).json().error.code).toBe("LeaseIdMissing");
    expect((await rename({ "x-ms-source-lease-id": id })).status).toBe(201);
    const broken = await fx.raw("POST", "/leased/d/renamed.txt", {
      headers: { "x-ms-lease-action": "break", "x-ms-lease-break-period": "5" },
    });
    expect(broken.status).toBe(202);
    expect(Number(broken.headers["x-ms-lease-time"])).toBeLessThanOrEqual(5);
  });

  it("a lease survives a restart, and overwriting a leased file keeps its lease", async () => {
    const file = await newFile("e/kept.txt");
    const lease = file.getDataLakeLeaseClient();
    await lease.acquireLease(-1);
    await fx.arm.emu.restart();
    expect(await code(file.delete())).toEqual({ status: 412, code: "LeaseIdMissing" });
    expect(await code(file.create())).toEqual({ status: 412, code: "LeaseIdMissing" });
    await file.create({ conditions: { leaseId: lease.leaseId } });
    expect((await file.getProperties()).leaseState).toBe("leased");
    await lease.releaseLease();
  });

  it("a second principal without write rights cannot lease (403)", async () => {
    await newFile("f/theirs.txt");
    const asOther = fx.other.client.getFileSystemClient("leased").getFileClient("f/theirs.txt");
    expect((await code(asOther.getDataLakeLeaseClient().acquireLease(-1))).status).toBe(403);
  });
});

describe("filesystem (container) leases", () => {
  it("DataLakeLeaseClient on a filesystem: shown in properties and listings; delete needs the id; a wrong id is refused", async () => {
    const held = fx.owner.client.getFileSystemClient("leasedfs");
    await held.create();
    const lease = held.getDataLakeLeaseClient();
    await lease.acquireLease(-1);
    expect(await held.getProperties()).toMatchObject({ leaseState: "leased", leaseStatus: "locked" });
    const listed: unknown[] = [];
    for await (const f of fx.owner.client.listFileSystems({ prefix: "leasedfs" })) listed.push(f.properties);
    expect(listed[0]).toMatchObject({ leaseState: "leased", leaseDuration: "infinite" });
    expect(await code(held.delete())).toEqual({ status: 412, code: "LeaseIdMissing" });
    expect(await code(held.setMetadata({ a: "b" }, { conditions: { leaseId: randomUUID() } }))).toEqual({
      status: 412,
      code: "LeaseIdMismatchWithContainerOperation",
    });
    // Without an id, metadata changes go through, as the service allows.
    await held.setMetadata({ a: "b" });
    expect(
      await code(fx.other.client.getFileSystemClient("leasedfs").getDataLakeLeaseClient().breakLease(0)),
    ).toMatchObject({
      status: 403,
    });
    await held.delete({ conditions: { leaseId: lease.leaseId } });
    expect(await held.exists()).toBe(false);
  });
});
