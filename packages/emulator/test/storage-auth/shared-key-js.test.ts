import { StorageSharedKeyCredential as BlobKey, BlobServiceClient } from "@azure/storage-blob";
import { DataLakeServiceClient, StorageSharedKeyCredential } from "@azure/storage-file-datalake";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authenticateStorageRequest, type StorageRequest } from "../../src/storage-auth/index.js";
import { parseRequest } from "../../src/storage-auth/request.js";
import { sharedKeyStringToSign } from "../../src/storage-auth/shared-key.js";
import { hmacSha256 } from "../../src/storage-auth/signature.js";
import {
  ACCOUNT_NAME,
  type Captured,
  type CaptureServer,
  routeLocalhostNames,
  sent,
  startCaptureServer,
  testAccount,
} from "./capture-server.js";

/**
 * Shared Key as `@azure/storage-file-datalake` 12.31.0 and `@azure/storage-blob` 12.34.0 sign it, for every kind
 * of request they send, path style and host style; then what must fail does.
 */

const noRetry = { retryOptions: { maxTries: 1 } };
let server: CaptureServer;
let unroute: () => void;

beforeAll(async () => {
  server = await startCaptureServer();
  unroute = routeLocalhostNames();
}, 30_000);
afterAll(async () => {
  unroute?.();
  await server?.close();
});

function dataLake(url: string, key = server.account.keys.key1) {
  return new DataLakeServiceClient(url, new StorageSharedKeyCredential(ACCOUNT_NAME, key), noRetry);
}
function blob(url: string, key = server.account.keys.key2) {
  return new BlobServiceClient(url, new BlobKey(ACCOUNT_NAME, key), noRetry);
}

function expectAllSharedKey(requests: Captured[]): void {
  expect(requests.length).toBeGreaterThan(0);
  for (const r of requests)
    expect(r.result, `${r.request.method} ${r.request.rawUrl}`).toMatchObject({ kind: "sharedKey" });
}

/** Every DataLake operation kind, each checked on its own. Returns what was sent. */
async function dataLakeOperations(url: string): Promise<Captured[]> {
  const fs = dataLake(url).getFileSystemClient("fs1");
  const dir = fs.getDirectoryClient("dir one");
  const file = fs.getFileClient("dir one/f+ü%.txt");
  const body = Buffer.from("hello world");
  const all: Captured[] = [];
  const ops: Array<[string, () => Promise<unknown>]> = [
    ["filesystem create", () => fs.create()],
    ["directory create", () => dir.create()],
    ["file create (If-None-Match)", () => file.create({ conditions: { ifNoneMatch: "*" } })],
    ["append with body at position", () => file.append(body, 0, body.length)],
    ["flush with position and close", () => file.flush(body.length, { close: true })],
    ["read with range", () => file.read(2, 5)],
    ["get properties (HEAD)", () => file.getProperties()],
    ["get access control", () => file.getAccessControl()],
    [
      "set access control",
      () =>
        file.setAccessControl([
          {
            accessControlType: "user",
            entityId: "",
            defaultScope: false,
            permissions: { read: true, write: true, execute: false },
          },
        ]),
    ],
    [
      "set permissions",
      () =>
        dir.setPermissions({
          owner: { read: true, write: true, execute: true },
          group: { read: true, write: false, execute: true },
          other: { read: false, write: false, execute: false },
          stickyBit: false,
          extendedAcls: false,
        }),
    ],
    ["set metadata", () => file.setMetadata({ a_b: "1", a1: "2", "a-c": "3" })],
    ["rename with x-ms-rename-source", () => file.move("dir one/renamed.txt")],
    [
      "list paths with query parameters",
      () => fs.listPaths({ recursive: true, path: "dir one" }).byPage({ maxPageSize: 2 }).next(),
    ],
    [
      "list filesystems",
      () => dataLake(url).listFileSystems({ prefix: "f" }).byPage({ maxPageSize: 5 }).next(),
    ],
    ["delete recursive", () => dir.delete(true)],
  ];
  for (const [name, op] of ops) {
    const requests = await sent(server, op);
    expect(requests.length, name).toBeGreaterThan(0);
    all.push(...requests);
  }
  return all;
}

describe("Shared Key signed by the official JS SDKs", () => {
  it("verifies every DataLake operation, path style (/{account}/{account}/{fs}/… resource)", async () => {
    const requests = await dataLakeOperations(server.pathStyleUrl);
    expectAllSharedKey(requests);
    const urls = requests.map((r) => `${r.request.method} ${r.request.rawUrl}`);
    expect(urls).toContain(`PATCH /${ACCOUNT_NAME}/fs1/dir%20one/f%2B%C3%BC%25.txt?position=0&action=append`);
    expect(urls.some((u) => /^PATCH .*action=flush/.test(u))).toBe(true);
    expect(urls.some((u) => /^HEAD .*action=getAccessControl/.test(u))).toBe(true);
    expect(urls.some((u) => /^GET .*resource=filesystem&directory=dir%20one&recursive=true/.test(u))).toBe(
      true,
    );
    expect(requests.some((r) => r.request.headers["x-ms-range"] || r.request.headers.range)).toBe(true);
    // JS move() in path style rebuilds the URL path without the account segment (the rename source keeps it),
    // and signs that path: the canonical resource is /{account}/{fs}/… for that one request.
    const rename = requests.find((r) => r.request.headers["x-ms-rename-source"])!;
    expect(rename.request.rawUrl).toBe("/fs1/dir%20one/renamed.txt?mode=legacy");
    expect(rename.request.headers["x-ms-rename-source"]).toBe(
      `/${ACCOUNT_NAME}/fs1/dir%20one/f%2B%C3%BC%25.txt`,
    );
    expect(
      requests.filter((r) => r !== rename).every((r) => r.request.rawUrl.startsWith(`/${ACCOUNT_NAME}/`)),
    ).toBe(true);
  });

  it("verifies every DataLake operation, host style ({account}.dfs.localhost)", async () => {
    const requests = await dataLakeOperations(server.hostStyleUrl("dfs"));
    expectAllSharedKey(requests);
    expect(requests.every((r) => !r.request.pathStyle)).toBe(true);
  });

  it("verifies Blob operations with key2: uploads with a body, blocks, ranged downloads, listings, metadata", async () => {
    for (const url of [server.pathStyleUrl, server.hostStyleUrl("blob")]) {
      const container = blob(url).getContainerClient("fs1");
      const block = container.getBlockBlobClient("a dir/ünï cödé & x=y.bin");
      const requests = [
        ...(await sent(server, () => container.createIfNotExists())),
        ...(await sent(server, () =>
          block.upload("0123456789", 10, { metadata: { Zeta: "z", alpha: "a" } }),
        )),
        ...(await sent(server, () => block.stageBlock("YmxvY2sx", Buffer.from("abc"), 3))),
        ...(await sent(server, () => block.commitBlockList(["YmxvY2sx"]))),
        ...(await sent(server, () => block.download(3, 4))),
        ...(await sent(server, () => block.getProperties())),
        ...(await sent(server, () => block.setHTTPHeaders({ blobContentType: "text/plain" }))),
        ...(await sent(server, () =>
          container.listBlobsByHierarchy("/", { prefix: "a dir/" }).byPage({ maxPageSize: 3 }).next(),
        )),
        ...(await sent(server, () =>
          blob(url).listContainers({ includeMetadata: true }).byPage({ maxPageSize: 3 }).next(),
        )),
        ...(await sent(server, () => block.deleteIfExists())),
        ...(await sent(server, () => blob(url).getAccountInfo())),
      ];
      expectAllSharedKey(requests);
      expect(requests.some((r) => r.request.rawUrl.includes("comp=blocklist"))).toBe(true);
      expect(requests.some((r) => r.request.rawUrl.includes("%C3%BC"))).toBe(true);
    }
  });
});

/** A signed request the SDK really sent, to be replayed with changes. */
async function signedCreate(): Promise<Captured> {
  const file = dataLake(server.pathStyleUrl).getFileSystemClient("fs1").getFileClient("dir/replay.txt");
  const [create] = await sent(server, () => file.create());
  expect(create!.result.kind).toBe("sharedKey");
  return create!;
}

function replay(c: Captured, change: Partial<StorageRequest> = {}, now = new Date()) {
  return authenticateStorageRequest({ ...c.request, ...change }, server.account, {
    now,
    userDelegationKeys: server.keys,
  });
}

function withoutHeader(c: Captured, name: string): StorageRequest["headers"] {
  const headers = { ...c.request.headers };
  delete headers[name];
  return headers;
}

describe("the service's canonical form", () => {
  it("is what the JS SDK signs: culture-aware x-ms-* order (a_b, a1, a-c), decoded sorted query, empty slots", async () => {
    const file = dataLake(server.pathStyleUrl).getFileSystemClient("fs1").getFileClient("d/m.txt");
    const [c] = await sent(server, () => file.setMetadata({ a1: "2", "a-c": "3", a_b: "1", B: "4" }));
    const stringToSign = sharedKeyStringToSign(parseRequest(c!.request), ACCOUNT_NAME);
    const names = stringToSign
      .split("\n")
      .filter((l) => l.startsWith("x-ms-meta-"))
      .map((l) => l.split(":")[0]);
    expect(names).toEqual(["x-ms-meta-a_b", "x-ms-meta-a1", "x-ms-meta-a-c", "x-ms-meta-b"]);
    expect(stringToSign.endsWith(`\n/${ACCOUNT_NAME}/${ACCOUNT_NAME}/fs1/d/m.txt\ncomp:metadata`)).toBe(true);
    const signature = String(c!.request.headers.authorization).split(":")[1];
    expect(hmacSha256(Buffer.from(server.account.keys.key1, "base64"), stringToSign).toString("base64")).toBe(
      signature,
    );
  });
});

describe("Shared Key refusals", () => {
  it("SK-02: a body-less PUT signs an empty Content-Length line, with Content-Length: 0 or without it", async () => {
    const c = await signedCreate();
    expect(c.request.headers["content-length"]).toBe("0");
    expect(replay(c).kind).toBe("sharedKey");
    expect(replay(c, { headers: withoutHeader(c, "content-length") }).kind).toBe("sharedKey");
  });

  it("SK-06: a wrong key is 403 AuthenticationFailed with the server's string-to-sign, and no secret", async () => {
    const wrong = testAccount().keys.key1;
    const requests = await sent(server, () =>
      dataLake(server.pathStyleUrl, wrong).getFileSystemClient("fs1").getFileClient("x").getProperties(),
    );
    const result = requests[0]!.result;
    expect(result).toMatchObject({ kind: "error", status: 403, code: "AuthenticationFailed" });
    if (result.kind !== "error") throw new Error("unreachable");
    expect(result.detail).toContain(`Server used following string to sign: 'HEAD\n`);
    expect(result.detail).toContain(`\n/${ACCOUNT_NAME}/${ACCOUNT_NAME}/fs1/x'`);
    const signature = String(requests[0]!.request.headers.authorization).split(":")[1]!;
    const text = JSON.stringify(result);
    for (const secret of [signature, wrong, server.account.keys.key1, server.account.keys.key2])
      expect(text).not.toContain(secret);
  });

  it("refuses a tampered request: another path, another method, another header value, another account", async () => {
    const c = await signedCreate();
    expect(replay(c, { rawUrl: c.request.rawUrl.replace("replay.txt", "other.txt") })).toMatchObject({
      code: "AuthenticationFailed",
    });
    expect(replay(c, { method: "DELETE" })).toMatchObject({ code: "AuthenticationFailed" });
    expect(replay(c, { headers: { ...c.request.headers, "x-ms-permissions": "0777" } })).toMatchObject({
      code: "AuthenticationFailed",
    });
    expect(replay(c, { headers: { ...c.request.headers, "x-ms-version": "2020-02-10" } })).toMatchObject({
      code: "AuthenticationFailed",
    });
    const other = authenticateStorageRequest(c.request, testAccount({ name: "otheracct" }), {
      userDelegationKeys: server.keys,
    });
    expect(other).toMatchObject({ code: "AuthenticationFailed" });
  });

  it("refuses a key that was regenerated, and accepts the other one", async () => {
    const c = await signedCreate();
    const keys = server.account.keys;
    expect(
      authenticateStorageRequest(
        c.request,
        { ...server.account, keys: { ...keys, key1: testAccount().keys.key1 } },
        { userDelegationKeys: server.keys },
      ),
    ).toMatchObject({ code: "AuthenticationFailed" });
    const swapped = { ...server.account, keys: { key1: keys.key2, key2: keys.key1 } };
    expect(authenticateStorageRequest(c.request, swapped, { userDelegationKeys: server.keys })).toEqual({
      kind: "sharedKey",
      keyName: "key2",
    });
  });

  it("allows 15 minutes of clock skew either way, not more", async () => {
    const c = await signedCreate();
    const sentAt = Date.parse(String(c.request.headers["x-ms-date"]));
    const at = (minutes: number) => new Date(sentAt + minutes * 60_000);
    expect(replay(c, {}, at(14.9)).kind).toBe("sharedKey");
    expect(replay(c, {}, at(-14.9)).kind).toBe("sharedKey");
    expect(replay(c, {}, at(15.1))).toMatchObject({
      code: "AuthenticationFailed",
      detail: expect.stringContaining("too old"),
    });
    expect(replay(c, {}, at(-15.1))).toMatchObject({
      code: "AuthenticationFailed",
      detail: expect.stringContaining("future"),
    });
    expect(replay(c, { headers: withoutHeader(c, "x-ms-date") })).toMatchObject({
      code: "AuthenticationFailed",
      detail: expect.stringContaining("date"),
    });
  });

  it("refuses Shared Key with 403 KeyBasedAuthenticationNotPermitted when allowSharedKeyAccess is false", async () => {
    const c = await signedCreate();
    const locked = { ...server.account, allowSharedKeyAccess: false };
    expect(authenticateStorageRequest(c.request, locked, { userDelegationKeys: server.keys })).toMatchObject({
      kind: "error",
      status: 403,
      code: "KeyBasedAuthenticationNotPermitted",
    });
  });

  it("refuses SharedKeyLite, unknown schemes and malformed headers with AuthenticationFailed; hands Bearer on", async () => {
    const c = await signedCreate();
    const auth = String(c.request.headers.authorization);
    const as = (authorization: string) => replay(c, { headers: { ...c.request.headers, authorization } });
    expect(as(auth.replace("SharedKey ", "SharedKeyLite "))).toMatchObject({ code: "AuthenticationFailed" });
    expect(as("Basic dXNlcjpwYXNz")).toMatchObject({ code: "AuthenticationFailed" });
    expect(as("SharedKey nocolon")).toMatchObject({ code: "AuthenticationFailed" });
    expect(as(`${auth}x`)).toMatchObject({ code: "AuthenticationFailed" });
    expect(as("Bearer eyJ0eXAi")).toEqual({ kind: "bearer" });
    expect(replay(c, { headers: withoutHeader(c, "authorization") })).toEqual({ kind: "anonymous" });
  });
});
