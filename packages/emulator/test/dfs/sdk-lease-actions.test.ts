import { randomUUID } from "node:crypto";
import type { DataLakeFileSystemClient } from "@azure/storage-file-datalake";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DfsFixture, failureOf, startDfsFixture } from "./dfs-fixture.js";

/**
 * Leases riding on writes: `x-ms-lease-action` on append and flush through `DataLakeFileClient.append`/`flush`
 * (`leaseAction`, `proposedLeaseId`, `leaseDurationInSeconds`) of `@azure/storage-file-datalake` and raw
 * requests for the combinations the SDK does not send; and a recursive delete of a directory holding a leased
 * file, which the service allows (leases protect files, not the directories above them).
 */
let fx: DfsFixture;
let lake: DataLakeFileSystemClient;

beforeAll(async () => {
  fx = await startDfsFixture("lact");
  lake = fx.owner.client.getFileSystemClient("lact");
  await lake.create();
}, 60_000);
afterAll(() => fx?.close());

const leaseOf = async (path: string) => {
  const p = await lake.getFileClient(path).getProperties();
  return { state: p.leaseState, status: p.leaseStatus, duration: p.leaseDuration };
};

describe("x-ms-lease-action on append and flush (DataLakeFileClient)", () => {
  it("acquire on append, auto-renew on the next, release on the flush: leased in between, free after", async () => {
    const file = lake.getFileClient("a/acquire.txt");
    await file.create();
    const id = randomUUID();
    await file.append("hello ", 0, 6, {
      leaseAction: "acquire",
      proposedLeaseId: id,
      leaseDurationInSeconds: 15,
    });
    expect(await leaseOf("a/acquire.txt")).toEqual({ state: "leased", status: "locked", duration: "fixed" });
    // The lease holds the file: a write without its id is refused.
    expect(await failureOf(file.append("x", 6, 1))).toEqual({ status: 412, code: "LeaseIdMissing" });
    const renewed = await file.append("world", 6, 5, {
      leaseAction: "auto-renew",
      conditions: { leaseId: id },
    });
    expect(renewed.leaseRenewed).toBe(true);
    await file.flush(11, { leaseAction: "release", conditions: { leaseId: id } });
    expect(await leaseOf("a/acquire.txt")).toMatchObject({ state: "available", status: "unlocked" });
    expect((await file.readToBuffer()).toString()).toBe("hello world");
  }, 30_000);

  it("acquire-release on a flush and on an append with flush=true: written, and no lease left", async () => {
    const file = lake.getFileClient("a/acquire-release.txt");
    await file.create();
    await file.append("abc", 0, 3);
    await file.flush(3, {
      leaseAction: "acquire-release",
      proposedLeaseId: randomUUID(),
      leaseDurationInSeconds: 20,
    });
    expect(await leaseOf("a/acquire-release.txt")).toMatchObject({ state: "available" });
    await file.append("def", 3, 3, {
      flush: true,
      leaseAction: "acquire-release",
      proposedLeaseId: randomUUID(),
    });
    expect(await leaseOf("a/acquire-release.txt")).toMatchObject({ state: "available" });
    expect((await file.readToBuffer()).toString()).toBe("abcdef");
  }, 30_000);

  it("a lease action that fails leaves the write undone, and a failing write leaves the lease as it was", async () => {
    const file = lake.getFileClient("a/atomic.txt");
    await file.create();
    const holder = file.getDataLakeLeaseClient();
    await holder.acquireLease(-1);
    // Someone else's lease: acquire-release is 409 and nothing is flushed.
    await file.append("data", 0, 4, { conditions: { leaseId: holder.leaseId } });
    expect(
      await failureOf(file.flush(4, { leaseAction: "acquire-release", proposedLeaseId: randomUUID() })),
    ).toEqual({ status: 409, code: "LeaseAlreadyPresent" });
    expect((await file.getProperties()).contentLength).toBe(0);
    // Auto-renew of another id.
    expect(
      await failureOf(
        file.append("x", 4, 1, { leaseAction: "auto-renew", conditions: { leaseId: randomUUID() } }),
      ),
    ).toEqual({ status: 409, code: "LeaseIdMismatchWithLeaseOperation" });
    await holder.releaseLease();
    // An append with flush=true whose flush fails: neither the data nor the acquired lease stay.
    const other = lake.getFileClient("a/atomic-2.txt");
    await other.create();
    const failed = await fx.raw("PATCH", "/lact/a/atomic-2.txt?action=append&position=5&flush=true", {
      body: "late",
      headers: {
        "x-ms-lease-action": "acquire",
        "x-ms-proposed-lease-id": randomUUID(),
        "x-ms-lease-duration": "-1",
      },
    });
    expect([failed.status, failed.headers["x-ms-error-code"]]).toEqual([400, "InvalidFlushPosition"]);
    expect(await leaseOf("a/atomic-2.txt")).toMatchObject({ state: "available" });
    expect(await failureOf(other.flush(9))).toEqual({ status: 400, code: "InvalidFlushPosition" });
  }, 30_000);

  it("bad combinations are 400 with the service's codes and change nothing", async () => {
    await lake.getFileClient("a/bad.txt").create();
    const append = (headers: Record<string, string>, query = "") =>
      fx.raw("PATCH", `/lact/a/bad.txt?action=append&position=0${query}`, { body: "data", headers });
    const id = randomUUID();
    const cases: Array<[Record<string, string>, string, string]> = [
      [{ "x-ms-lease-action": "renew", "x-ms-lease-id": id }, "", "InvalidHeaderValue"],
      [{ "x-ms-lease-action": "release", "x-ms-lease-id": id }, "", "InvalidHeaderValue"],
      [{ "x-ms-lease-action": "acquire-release", "x-ms-proposed-lease-id": id }, "", "InvalidHeaderValue"],
      [{ "x-ms-lease-action": "acquire", "x-ms-lease-duration": "15" }, "", "MissingRequiredHeader"],
      [{ "x-ms-lease-action": "acquire", "x-ms-proposed-lease-id": id }, "", "MissingRequiredHeader"],
      [
        { "x-ms-lease-action": "acquire", "x-ms-proposed-lease-id": id, "x-ms-lease-duration": "5" },
        "",
        "InvalidHeaderValue",
      ],
      [
        {
          "x-ms-lease-action": "acquire",
          "x-ms-proposed-lease-id": "not-a-guid",
          "x-ms-lease-duration": "15",
        },
        "",
        "InvalidHeaderValue",
      ],
      [{ "x-ms-lease-action": "auto-renew" }, "", "MissingRequiredHeader"],
      [{ "x-ms-lease-action": "release" }, "&flush=true", "MissingRequiredHeader"],
      [
        {
          "x-ms-lease-action": "acquire",
          "x-ms-proposed-lease-id": id,
          "x-ms-lease-duration": "15",
          "x-ms-version": "2019-12-12",
        },
        "",
        "UnsupportedHeader",
      ],
    ];
    for (const [headers, query, code] of cases) {
      const res = await append(headers, query);
      expect([res.status, res.headers["x-ms-error-code"], headers]).toEqual([400, code, headers]);
    }
    const flushRelease = await fx.raw("PATCH", "/lact/a/bad.txt?action=flush&position=0", {
      headers: { "x-ms-lease-action": "release" },
    });
    expect([flushRelease.status, flushRelease.headers["x-ms-error-code"]]).toEqual([
      400,
      "MissingRequiredHeader",
    ]);
    // Nothing was staged nor leased by any of them.
    expect(await failureOf(lake.getFileClient("a/bad.txt").flush(4))).toEqual({
      status: 400,
      code: "InvalidFlushPosition",
    });
    expect(await leaseOf("a/bad.txt")).toMatchObject({ state: "available" });
  }, 30_000);
});

describe("recursive delete and leases", () => {
  it("a directory holding a leased file is deleted recursively (as on a hierarchical account); the file alone needs the id", async () => {
    const file = lake.getFileClient("tree/sub/leased.txt");
    await file.create();
    const lease = file.getDataLakeLeaseClient();
    await lease.acquireLease(-1);
    expect(await failureOf(file.delete())).toEqual({ status: 412, code: "LeaseIdMissing" });
    await lake.getDirectoryClient("tree").delete(true);
    expect(await lake.getDirectoryClient("tree").exists()).toBe(false);
    expect(await file.exists()).toBe(false);
    // Its name is free again, unleased.
    await file.create();
    expect(await leaseOf("tree/sub/leased.txt")).toMatchObject({ state: "available" });
  }, 30_000);
});
