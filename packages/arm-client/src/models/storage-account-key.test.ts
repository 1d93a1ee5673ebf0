import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { keysFromBody, StorageAccountKey } from "./storage-account-key.js";

const SECRET = "c2VjcmV0LWtleS12YWx1ZS10aGF0LW11c3Qtbm90LWxlYWstaW50by1hbnktb3V0cHV0LWF0LWFsbA==";

describe("StorageAccountKey", () => {
  it("gives the value only when asked for it", () => {
    const key = new StorageAccountKey("key1", SECRET, "FULL", "2024-05-01T10:00:00.0000000Z");
    expect(key.value).toBe(SECRET);
    expect(key.permissions).toBe("Full");
    for (const text of [
      inspect(key),
      inspect([key], { showHidden: true, depth: 3 }),
      JSON.stringify(key),
      String(key),
      JSON.stringify({ ...key }),
      JSON.stringify(Object.entries(key)),
      JSON.stringify(structuredClone({ ...key })),
    ]) {
      expect(text).not.toContain(SECRET);
    }
    expect(JSON.parse(JSON.stringify(key))).toEqual({
      keyName: "key1",
      permissions: "Full",
      creationTime: "2024-05-01T10:00:00.0000000Z",
      value: "REDACTED",
    });
  });

  it("keeps permissions it does not know as sent, and normalises the case of those it does", () => {
    expect(new StorageAccountKey("key1", SECRET, "read", undefined).permissions).toBe("Read");
    expect(new StorageAccountKey("key1", SECRET, "Sometimes", undefined).permissions).toBe("Sometimes");
  });
});

describe("keysFromBody", () => {
  it("reads the keys of a listKeys answer", () => {
    const { keys } = keysFromBody(
      { keys: [{ keyName: "key1", value: SECRET, permissions: "FULL", creationTime: "t" }] },
      "storageAccounts.listKeys",
    );
    expect(keys.map((k) => [k.keyName, k.value, k.permissions, k.creationTime])).toEqual([
      ["key1", SECRET, "Full", "t"],
    ]);
  });

  it("refuses another shape without quoting the body, which may hold keys", () => {
    for (const body of [
      undefined,
      { value: SECRET },
      { keys: [{ value: SECRET }] },
      { keys: [{ keyName: "key1" }] },
    ]) {
      let thrown: unknown;
      try {
        keysFromBody(body, "storageAccounts.listKeys");
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toMatchObject({ code: "INVALID_RESPONSE" });
      expect(`${(thrown as Error).message} ${inspect(thrown)}`).not.toContain(SECRET);
    }
  });
});
