import { mkdtempSync, rmSync } from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createArmHandler } from "../../src/arm/index.js";
import { createRequestListener } from "../../src/server.js";
import { loadTls } from "../../src/tls/server-tls.js";
import { startTestEmulator, type TestEmulator } from "../helpers/test-emulator.js";
import { accountName, STORAGE_API, storageBody } from "./arm-fixture.js";

/**
 * The registry the Gen2 data plane will read (`createArmHandler(...).storageAccounts`): lookups follow every
 * ARM change at once and `onDeleted` hears of every deletion, direct or by resource group. start.ts does not
 * hand the registry out yet (the data plane will), so this test serves a second Resource Manager, with its
 * own arm.db, over real HTTPS with the emulator's identity, tokens and CA, and keeps the handler.
 */
describe("the storage account registry", () => {
  let emu: TestEmulator;
  let armDir: string;
  let arm: ReturnType<typeof createArmHandler>;
  let server: https.Server;
  let base: string;
  let token: string;
  const deleted: string[] = [];

  const call = async (method: string, pathAndQuery: string, body?: unknown) =>
    emu.request(method, `${base}${pathAndQuery}`, {
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  const sub = () => emu.emulator.connection.subscriptionId;
  const accountPath = (group: string, name: string) =>
    `/subscriptions/${sub()}/resourceGroups/${group}/providers/Microsoft.Storage/storageAccounts/${name}?api-version=${STORAGE_API}`;
  const create = async (group: string, name: string) => {
    const res = await call("PUT", accountPath(group, name), storageBody());
    expect(res.status).toBe(202);
    let poll = 202;
    for (let i = 0; i < 5 && poll === 202; i++)
      poll = (
        await emu.request("GET", String(res.headers.location), {
          headers: { authorization: `Bearer ${token}` },
        })
      ).status;
    expect(poll).toBe(200);
  };

  beforeAll(async () => {
    emu = await startTestEmulator({ arm: { pageSize: 100, lroPolls: 1, retryAfterSeconds: 1 } });
    armDir = mkdtempSync(path.join(tmpdir(), "adl-storage-registry-"));
    const services = { ...emu.emulator.services, dataDir: armDir };
    arm = createArmHandler(services);
    arm.storageAccounts.onDeleted((name) => deleted.push(name));
    let port = 0;
    const listener = createRequestListener(
      services,
      {
        arm: (ctx) => arm.handle(ctx),
        filesystem: () => Promise.reject(new Error("this test serves Resource Manager only")),
        storage: () => Promise.reject(new Error("this test serves Resource Manager only")),
        storageAccountExists: () => false,
      },
      () => port,
      () => {},
    );
    const material = await loadTls(emu.dataDir);
    server = https.createServer(
      { cert: material.server.certPem + material.caPem, key: material.server.keyPem },
      listener,
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
    base = `https://localhost:${port}`;
    token = await emu.token("https://management.azure.com/");
    for (const group of ["reg", "cascade"])
      expect(
        (
          await call("PUT", `/subscriptions/${sub()}/resourcegroups/${group}?api-version=2022-09-01`, {
            location: "eastus",
          })
        ).status,
      ).toBe(201);
  }, 60_000);
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    arm?.close();
    await emu?.close();
    if (armDir) rmSync(armDir, { recursive: true, force: true });
  });

  it("looks an account up by name once provisioned: subscription, tenant, current keys, namespace, owner", async () => {
    const name = accountName("reg");
    const started = await call("PUT", accountPath("reg", name), storageBody());
    expect(started.status).toBe(202);
    expect(arm.storageAccounts.lookup(name)).toBeUndefined();
    await create("reg", name);

    const c = emu.emulator.connection;
    const info = arm.storageAccounts.lookup(name.toUpperCase());
    expect(info).toMatchObject({
      name,
      subscription: c.subscriptionId,
      tenant: c.tenantId,
      isHnsEnabled: true,
      allowSharedKeyAccess: true,
      owner: c.clientObjectId,
    });
    const listed = (await call("POST", `${accountPath("reg", name).replace("?", "/listKeys?")}`)).json().keys;
    expect(info?.keys).toEqual({ key1: listed[0].value, key2: listed[1].value });

    const regenerated = await call("POST", accountPath("reg", name).replace("?", "/regenerateKey?"), {
      keyName: "key2",
    });
    expect(arm.storageAccounts.lookup(name)?.keys.key2).toBe(regenerated.json().keys[1].value);
    await call("PATCH", accountPath("reg", name), { properties: { allowSharedKeyAccess: false } });
    expect(arm.storageAccounts.lookup(name)?.allowSharedKeyAccess).toBe(false);
    expect(arm.storageAccounts.lookup("nosuchaccount9")).toBeUndefined();
  });

  it("tells onDeleted listeners of a deleted account, and of every account of a deleted resource group", async () => {
    const single = accountName("one");
    await create("reg", single);
    expect((await call("DELETE", accountPath("reg", single))).status).toBe(200);
    expect(deleted).toContain(single);
    expect(arm.storageAccounts.lookup(single)).toBeUndefined();
    // A delete of nothing tells nobody.
    const before = deleted.length;
    expect((await call("DELETE", accountPath("reg", single))).status).toBe(204);
    expect(deleted.length).toBe(before);

    const a = accountName("ca");
    const b = accountName("cb");
    await create("cascade", a);
    await create("cascade", b);
    const res = await call("DELETE", `/subscriptions/${sub()}/resourcegroups/cascade?api-version=2022-09-01`);
    expect(res.status).toBe(202);
    let status = 202;
    for (let i = 0; i < 5 && status === 202; i++)
      status = (
        await call(
          "GET",
          new URL(String(res.headers.location)).pathname + new URL(String(res.headers.location)).search,
        )
      ).status;
    expect(status).toBe(200);
    expect(deleted).toEqual(expect.arrayContaining([a, b]));
    expect(arm.storageAccounts.lookup(a)).toBeUndefined();
  });

  it("a listener that throws does not turn the deletion into an error", async () => {
    const unsubscribe = arm.storageAccounts.onDeleted(() => {
      throw new Error("disk on fire");
    });
    const name = accountName("thr");
    await create("reg", name);
    expect((await call("DELETE", accountPath("reg", name))).status).toBe(200);
    expect(deleted).toContain(name);
    unsubscribe();
    expect(emu.emulator.services.journal.entries((e) => e.status >= 500)).toEqual([]);
  });
});
