import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ArmFixture, accountName, armError, startArmFixture, storageBody } from "./arm-fixture.js";

const ISO_7 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/;

interface Key {
  keyName: string;
  value: string;
  permissions: string;
  creationTime: string;
}

/** Storage account keys: listKeys and regenerateKey (docs/gen2-conformance.md, ARM section). */
describe("storage account keys", () => {
  let fx: ArmFixture;
  const keysOf = async (name: string, query = "?$expand=kerb"): Promise<Key[]> => {
    const res = await fx.arm("POST", `${fx.storagePath("keys", name)}/listKeys${query}`);
    expect(res.status, res.text).toBe(200);
    return res.json().keys;
  };

  beforeAll(async () => {
    fx = await startArmFixture({ arm: { pageSize: 100, lroPolls: 1, retryAfterSeconds: 1 } });
    await fx.createGroup("keys");
  }, 60_000);
  afterAll(() => fx.close());

  it("lists two distinct 64-byte keys with POST listKeys ($expand=kerb, empty body), each time the same", async () => {
    const name = accountName("lk");
    await fx.createStorageAccount("keys", name);
    const keys = await keysOf(name);
    expect(keys.map((k) => k.keyName)).toEqual(["key1", "key2"]);
    for (const key of keys) {
      expect(key.permissions).toBe("FULL");
      expect(key.creationTime).toMatch(ISO_7);
      expect(key.value).toMatch(/^[A-Za-z0-9+/]{86}==$/);
      expect(Buffer.from(key.value, "base64")).toHaveLength(64);
    }
    expect(keys[0]!.value).not.toBe(keys[1]!.value);
    expect(await keysOf(name, "")).toEqual(keys);
    // Another account has other keys.
    const other = accountName("lk");
    await fx.createStorageAccount("keys", other);
    const otherKeys = await keysOf(other);
    expect(otherKeys.map((k) => k.value)).not.toContain(keys[0]!.value);
  });

  it("regenerates key1 or key2 alone; an unknown key name is 400 and is not repeated back", async () => {
    const name = accountName("rk");
    await fx.createStorageAccount("keys", name);
    const before = await keysOf(name);
    const path = `${fx.storagePath("keys", name)}/regenerateKey`;

    const one = await fx.arm("POST", path, { body: { keyName: "key1" } });
    expect(one.status).toBe(200);
    const afterOne: Key[] = one.json().keys;
    expect(afterOne[0]!.value).not.toBe(before[0]!.value);
    expect(Buffer.from(afterOne[0]!.value, "base64")).toHaveLength(64);
    expect(afterOne[1]).toEqual(before[1]);
    expect(await keysOf(name)).toEqual(afterOne);

    const two = (await fx.arm("POST", path, { body: { keyName: "KEY2" } })).json().keys as Key[];
    expect(two[0]).toEqual(afterOne[0]);
    expect(two[1]!.value).not.toBe(before[1]!.value);

    const secretLooking = before[0]!.value;
    for (const body of [{ keyName: "key3" }, { keyName: "kerb1" }, {}, { keyName: secretLooking }]) {
      const res = await fx.arm("POST", path, { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(armError(res)).toMatchObject({ code: "InvalidValuesForRequestParameters", target: "keyName" });
      expect(res.text).not.toContain(secretLooking);
      expect(res.text).not.toContain("key3");
    }
    expect((await fx.arm("POST", path, { body: "{" })).status).toBe(400);
    // None of the refused calls changed a key.
    expect(await keysOf(name)).toEqual(two);
  });

  it("answers 404 for a missing account, 405 for GET, 400 for another expansion, 409 while provisioning", async () => {
    const missing = await fx.arm("POST", `${fx.storagePath("keys", "nosuchaccount3")}/listKeys`);
    expect(missing.status).toBe(404);
    expect(armError(missing).code).toBe("ResourceNotFound");
    expect(
      (
        await fx.arm("POST", `${fx.storagePath("keys", "nosuchaccount3")}/regenerateKey`, {
          body: { keyName: "key1" },
        })
      ).status,
    ).toBe(404);

    const name = accountName("st");
    const started = await fx.arm("PUT", fx.storagePath("keys", name), { body: storageBody() });
    expect(started.status).toBe(202);
    const early = await fx.arm("POST", `${fx.storagePath("keys", name)}/listKeys`);
    expect(early.status).toBe(409);
    expect(armError(early).code).toBe("StorageAccountIsNotProvisioned");
    expect(early.text).not.toMatch(/[A-Za-z0-9+/]{86}==/);

    await fx.createStorageAccount("keys", name);
    const get = await fx.arm("GET", `${fx.storagePath("keys", name)}/listKeys`);
    expect(get.status).toBe(405);
    const expand = await fx.arm("POST", `${fx.storagePath("keys", name)}/listKeys?$expand=everything`);
    expect(expand.status).toBe(400);
  });

  it("keeps the keys across a restart, in DIR/arm.db", async () => {
    const name = accountName("rs");
    await fx.createStorageAccount("keys", name);
    const keys = await keysOf(name);
    await fx.emu.restart();
    expect(await keysOf(name)).toEqual(keys);
  }, 30_000);
});
