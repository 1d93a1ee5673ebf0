import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PYTHON, pythonSdks } from "../helpers/python-sdks.js";
import { runChild } from "../helpers/run-child.js";
import { type ArmFixture, accountName, startArmFixture } from "./arm-fixture.js";

/**
 * The official management SDKs against the emulator's Microsoft.Storage, each in its own process with the
 * emulator's CA trusted the way users do it: `@azure/arm-storage` + `@azure/identity` (NODE_EXTRA_CA_CERTS)
 * and Debian's `azure-mgmt-storage` + `azure-identity` (REQUESTS_CA_BUNDLE).
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const py = pythonSdks(
  ["azure.mgmt.storage", "azure.mgmt.resource", "azure.identity"],
  "python3-azure",
  "Python azure-mgmt-storage conformance",
);

describe("Microsoft.Storage through the official SDKs", () => {
  let fx: ArmFixture;
  let home: string;

  beforeAll(async () => {
    // One account per page: with the two below, listing the subscription takes the SDKs through nextLink pages.
    fx = await startArmFixture({ arm: { pageSize: 1, lroPolls: 2, retryAfterSeconds: 1 } });
    await fx.createGroup("sdk-js");
    await fx.createGroup("sdk-pages");
    for (const extra of [accountName("pga"), accountName("pgb")])
      await fx.createStorageAccount("sdk-pages", extra);
    home = mkdtempSync(path.join(tmpdir(), "adl-storage-sdk-"));
  }, 60_000);
  afterAll(async () => {
    await fx?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  /** Runs an SDK script; its last stdout line is the JSON of what the SDK saw. */
  async function run(command: string, script: string, env: Record<string, string>) {
    const c = fx.emu.emulator.connection;
    const result = await runChild(
      command,
      [script],
      {
        PATH: "/usr/bin:/bin",
        HOME: home,
        EMU_URL: c.url,
        EMU_TENANT: c.tenantId,
        EMU_CLIENT_ID: c.clientId,
        EMU_CLIENT_SECRET: c.clientSecret,
        EMU_SUBSCRIPTION: c.subscriptionId,
        ...env,
      },
      120_000,
    );
    if (result.code !== 0)
      throw new Error(`${path.basename(script)} exited ${result.code}: ${result.stderr}`);
    return JSON.parse(result.stdout.trim().split("\n").pop() ?? "{}") as Record<string, unknown>;
  }

  /** Requests for a page of the subscription's accounts so far. */
  const listPages = () =>
    fx.emu.emulator.services.journal.entries((e) => e.op === "arm:StorageAccounts_List").length;

  /** The subscription's three accounts came a page at a time: the SDK followed the nextLinks. */
  function expectPagedListing(pagesBefore: number): void {
    expect(listPages() - pagesBefore).toBeGreaterThanOrEqual(3);
  }

  /** The LRO took the emulator's two InProgress polls at Retry-After: 1 s, not the SDK's default interval. */
  function expectFastPolls(seconds: unknown): void {
    expect(seconds).toBeGreaterThan(0.5);
    expect(seconds).toBeLessThan(10);
  }

  it("@azure/arm-storage with @azure/identity: name check, create (poller), get, list, update, keys, delete", async () => {
    const name = accountName("js");
    const pagesBefore = listPages();
    const out = await run(process.execPath, path.join(here, "js", "storage_sdk.mjs"), {
      NODE_EXTRA_CA_CERTS: fx.emu.emulator.connection.caCertificatePath,
      EMU_GROUP: "sdk-js",
      EMU_ACCOUNT: name,
    });
    const port = new URL(fx.emu.url).port;
    expect(out).toMatchObject({
      apiVersion: "2026-09-01",
      availableBefore: true,
      invalidReason: "AccountNameInvalid",
      created: {
        name,
        provisioningState: "Succeeded",
        isHnsEnabled: true,
        kind: "StorageV2",
        sku: "Standard_LRS",
        tags: { sdk: "js" },
        dfs: `https://${name}.dfs.localhost:${port}/`,
        blob: `https://${name}.blob.localhost:${port}/`,
      },
      availableAfter: "AlreadyExists",
      got: "Succeeded",
      listedByGroup: [name],
      listedInSubscription: true,
      listedCount: 3,
      updatedTags: { sdk: "js", step: "update" },
      keyNames: ["key1", "key2"],
      keyBytes: [64, 64],
      key1Changed: true,
      key2Kept: true,
      invalidCreate: { status: 400, code: "AccountNameInvalid" },
      afterDelete: { status: 404, code: "ResourceNotFound" },
    });
    expectFastPolls(out.createSeconds);
    expectPagedListing(pagesBefore);
    // The SDK's own default api-version was accepted; the LRO went through the status document.
    const journal = fx.emu.emulator.services.journal.entries();
    expect(journal.some((e) => e.op === "arm:StorageOperationResults_Get")).toBe(true);
    expect(fx.emu.emulator.services.journal.entries((e) => e.status >= 500)).toEqual([]);
  }, 120_000);

  py.it(
    "azure-mgmt-storage with azure-identity: name check, begin_create (poller), get, list, update, keys, delete",
    async () => {
      const name = accountName("py");
      const pagesBefore = listPages();
      const out = await run(PYTHON, path.join(here, "python", "mgmt_storage.py"), {
        REQUESTS_CA_BUNDLE: fx.emu.emulator.connection.caCertificatePath,
        EMU_GROUP: "sdk-py",
        EMU_ACCOUNT: name,
      });
      const port = new URL(fx.emu.url).port;
      expect(out).toMatchObject({
        api_version: "2022-09-01",
        available_before: true,
        invalid_reason: "AccountNameInvalid",
        created: {
          name,
          provisioning_state: "Succeeded",
          is_hns_enabled: true,
          kind: "StorageV2",
          sku: "Standard_LRS",
          tags: { sdk: "python" },
          dfs: `https://${name}.dfs.localhost:${port}/`,
          blob: `https://${name}.blob.localhost:${port}/`,
        },
        available_after: "AlreadyExists",
        got: "Succeeded",
        listed_by_group: [name],
        listed_in_subscription: true,
        listed_count: 3,
        updated_tags: { sdk: "python", step: "update" },
        key_names: ["key1", "key2"],
        key_bytes: [64, 64],
        key1_kept: true,
        key2_changed: true,
        bad_key_name: { status: 400, code: "InvalidValuesForRequestParameters" },
        after_delete: "ResourceNotFound",
      });
      expectFastPolls(out.create_seconds);
      expectPagedListing(pagesBefore);
      expect(fx.emu.emulator.services.journal.entries((e) => e.status >= 500)).toEqual([]);
    },
    120_000,
  );
});
