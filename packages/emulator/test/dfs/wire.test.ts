import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestResponse } from "../helpers/test-emulator.js";
import { type DfsFixture, STORAGE_VERSION, startDfsFixture } from "./dfs-fixture.js";

/**
 * The Gen2 data plane on the wire, below the SDKs: routing (path style, host style with its own certificate,
 * Gen1 untouched), authentication, the error shapes of both APIs, range checks of every number, journal, and
 * what deleting the storage account does to its data.
 */
let fx: DfsFixture;

beforeAll(async () => {
  fx = await startDfsFixture("wire");
  expect((await fx.raw("PUT", "/wfs?resource=filesystem")).status).toBe(201);
}, 60_000);
afterAll(() => fx?.close());

function dfsError(res: TestResponse): { code: string; message: string } {
  expect(res.headers["content-type"]).toBe("application/json;charset=utf-8");
  const body = res.json() as { error: { code: string; message: string } };
  expect(res.headers["x-ms-error-code"]).toBe(body.error.code);
  expect(body.error.message).toMatch(/\nRequestId:[0-9a-f-]{36}\nTime:\d{4}-\d\d-\d\dT[\d:.]+Z$/);
  return body.error;
}

function blobError(res: TestResponse): string {
  expect(res.headers["content-type"]).toBe("application/xml");
  const code = /<Error><Code>([^<]+)<\/Code><Message>/.exec(res.text)?.[1];
  expect(res.headers["x-ms-error-code"]).toBe(code);
  return code!;
}

describe("requests and answers", () => {
  it("every answer has x-ms-request-id, echoes x-ms-version and x-ms-client-request-id", async () => {
    const res = await fx.raw("HEAD", "/wfs?resource=filesystem", {
      headers: { "x-ms-client-request-id": "abc-1" },
    });
    expect(res.status).toBe(200);
    expect(res.headers["x-ms-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers["x-ms-version"]).toBe(STORAGE_VERSION);
    expect(res.headers["x-ms-client-request-id"]).toBe("abc-1");
    expect(res.headers["x-ms-namespace-enabled"]).toBe("true");
    const info = await fx.raw("GET", "/?restype=account&comp=properties");
    expect([info.status, info.headers["x-ms-is-hns-enabled"], info.headers["x-ms-account-kind"]]).toEqual([
      200,
      "true",
      "StorageV2",
    ]);
  });

  it("DFS errors are JSON, Blob errors XML, HEAD errors bodiless; codes per API", async () => {
    expect(dfsError(await fx.raw("GET", "/nofs?resource=filesystem&recursive=false")).code).toBe(
      "FilesystemNotFound",
    );
    expect(blobError(await fx.raw("GET", "/nofs?restype=container"))).toBe("ContainerNotFound");
    const head = await fx.raw("HEAD", "/wfs/missing");
    expect([head.status, head.headers["x-ms-error-code"], head.text]).toEqual([404, "BlobNotFound", ""]);
    expect(dfsError(await fx.raw("DELETE", "/wfs/missing?recursive=false")).code).toBe("PathNotFound");
    expect(dfsError(await fx.raw("PUT", "/Bad_Name?resource=filesystem")).code).toBe("InvalidResourceName");
    expect(dfsError(await fx.raw("PUT", "/wfs?resource=filesystem")).code).toBe("FilesystemAlreadyExists");
    expect(blobError(await fx.raw("PUT", "/wfs?restype=container"))).toBe("ContainerAlreadyExists");
    expect(
      blobError(
        await fx.raw("PUT", "/wfs/blob.txt", { headers: { "x-ms-blob-type": "AppendBlob" }, body: "x" }),
      ),
    ).toBe("InvalidHeaderValue");
    expect(blobError(await fx.raw("GET", "/wfs?restype=container&comp=acl"))).toBe(
      "UnsupportedQueryParameter",
    );
  });

  it("authentication: no token is 401 with the bearer challenge; a token for another audience is 401", async () => {
    const none = await fx.raw("GET", "/wfs?resource=filesystem&recursive=false", { as: null });
    expect(none.status).toBe(401);
    expect(dfsError(none).code).toBe("NoAuthenticationInformation");
    const tenant = fx.arm.emu.emulator.connection.tenantId;
    expect(none.headers["www-authenticate"]).toMatch(
      new RegExp(
        `^Bearer authorization_uri=https://[^ ]+/${tenant}/oauth2/authorize resource_id=https://storage.azure.com$`,
      ),
    );
    const lake = await fx.arm.emu.token("https://datalake.azure.net/");
    const wrong = await fx.raw("GET", "/wfs?resource=filesystem&recursive=false", {
      as: null,
      headers: { authorization: `Bearer ${lake}` },
    });
    expect([wrong.status, dfsError(wrong).code]).toEqual([401, "InvalidAuthenticationInfo"]);
    const noVersion = await fx.arm.emu.request(
      "GET",
      `${fx.endpoint}/wfs?resource=filesystem&recursive=false`,
      {
        headers: { authorization: `Bearer ${await fx.token()}` },
      },
    );
    expect([noVersion.status, noVersion.headers["x-ms-error-code"]]).toEqual([400, "MissingRequiredHeader"]);
  });

  it("every number is range-checked: 400 naming it, never a 500", async () => {
    await fx.raw("PUT", "/wfs/n.txt?resource=file");
    const cases: Array<[string, string, Record<string, string>, string]> = [
      ["PATCH", "/wfs/n.txt?action=append&position=-1", {}, "InvalidQueryParameterValue"],
      ["PATCH", "/wfs/n.txt?action=append&position=1e3", {}, "InvalidQueryParameterValue"],
      ["PATCH", "/wfs/n.txt?action=append&position=99999999999999999", {}, "InvalidQueryParameterValue"],
      ["PATCH", "/wfs/n.txt?action=flush", {}, "MissingRequiredQueryParameter"],
      ["GET", "/wfs?resource=filesystem&recursive=true&maxResults=0", {}, "InvalidQueryParameterValue"],
      ["GET", "/wfs?resource=filesystem&recursive=true&maxResults=5001", {}, "InvalidQueryParameterValue"],
      ["GET", "/wfs?resource=filesystem&recursive=maybe", {}, "InvalidQueryParameterValue"],
      [
        "PATCH",
        "/wfs?action=setAccessControlRecursive&mode=set&maxRecords=0",
        { "x-ms-acl": "user::rwx" },
        "InvalidQueryParameterValue",
      ],
      ["GET", "/wfs/n.txt", { "x-ms-range": "bytes=5-1" }, "InvalidHeaderValue"],
      ["GET", "/wfs/n.txt", { "x-ms-range": "bytes=a-b" }, "InvalidHeaderValue"],
      ["PUT", "/wfs/d?resource=directory", { "x-ms-umask": "99" }, "InvalidHeaderValue"],
      ["PUT", "/wfs/d?resource=directory", { "x-ms-permissions": "rwxrwxrwz" }, "InvalidHeaderValue"],
      ["PUT", "/wfs/d?resource=directory", { "x-ms-properties": "a=!!" }, "InvalidHeaderValue"],
      ["PATCH", "/wfs/n.txt?action=setAccessControl", { "x-ms-acl": "user::rwz" }, "InvalidInput"],
      [
        "PATCH",
        "/wfs/n.txt?action=flush&position=1",
        { "If-Modified-Since": "yesterday" },
        "InvalidHeaderValue",
      ],
    ];
    for (const [method, url, headers, code] of cases) {
      const res = await fx.raw(method, url, { headers });
      expect([method, url, res.status, res.headers["x-ms-error-code"]]).toEqual([method, url, 400, code]);
    }
    // More than the 2,000 items one request changes is not an error: the service takes 2,000.
    const capped = await fx.raw(
      "PATCH",
      "/wfs?action=setAccessControlRecursive&mode=modify&maxRecords=5000",
      {
        headers: { "x-ms-acl": "user::rwx" },
      },
    );
    expect(capped.status).toBe(200);
    expect(capped.json()).toMatchObject({ failureCount: 0 });
    expect(fx.arm.emu.emulator.services.journal.entries((e) => e.status >= 500)).toEqual([]);
  });

  it("the DFS forms: list filesystems with continuation, filesystem properties, %2F paths, dot segments", async () => {
    for (const name of ["wfs2", "wfs3"]) await fx.raw("PUT", `/${name}?resource=filesystem`);
    const first = await fx.raw("GET", "/?resource=account&maxResults=2");
    expect(first.json().filesystems.map((f: { name: string }) => f.name)).toEqual(["wfs", "wfs2"]);
    const token = String(first.headers["x-ms-continuation"]);
    const second = await fx.raw(
      "GET",
      `/?resource=account&maxResults=2&continuation=${encodeURIComponent(token)}`,
    );
    expect(second.json().filesystems.map((f: { name: string }) => f.name)).toEqual(["wfs3"]);
    expect(second.headers["x-ms-continuation"]).toBeUndefined();

    const set = await fx.raw("PATCH", "/wfs2?resource=filesystem", {
      headers: { "x-ms-properties": "k=dg==" },
    });
    expect(set.status).toBe(200);
    expect((await fx.raw("HEAD", "/wfs2?resource=filesystem")).headers["x-ms-properties"]).toBe("k=dg==");
    expect((await fx.raw("GET", "/wfs2?restype=container")).headers["x-ms-meta-k"]).toBe("v");
    expect((await fx.raw("DELETE", "/wfs3?resource=filesystem")).status).toBe(202);

    expect((await fx.raw("PUT", "/wfs/p%2Fq%2Fr.txt?resource=file")).status).toBe(201);
    expect((await fx.raw("PUT", "/wfs/p/.%2Fx%2F..%2Fsub?resource=directory")).status).toBe(201);
    const listed = await fx.raw("GET", "/wfs?resource=filesystem&recursive=true&directory=p");
    expect(listed.json().paths.map((p: { name: string }) => p.name)).toEqual(["p/q", "p/q/r.txt", "p/sub"]);
    const entry = listed.json().paths[1];
    expect(entry).toMatchObject({
      contentLength: "0",
      expiryTime: "0",
      owner: fx.owner.objectId,
      permissions: "rw-r-----",
    });
    expect(entry.etag).toMatch(/^0x8D[0-9A-F]{13}$/);
    expect(entry.creationTime).toMatch(/^\d{18}$/);
    const acl = await fx.raw("HEAD", "/wfs/?action=getAccessControl&upn=false");
    expect([acl.status, acl.headers["x-ms-acl"], acl.headers["x-ms-permissions"]]).toEqual([
      200,
      "user::rwx,group::r-x,other::---",
      "rwxr-x---",
    ]);
    const flush = await fx.raw("PATCH", "/wfs/p/q/r.txt?action=flush&position=0", { body: "x" });
    expect([flush.status, flush.headers["x-ms-error-code"]]).toEqual([400, "ContentLengthMustBeZero"]);
  });
});

describe("routing", () => {
  it("host style: {account}.dfs|blob.localhost with a certificate of its own; unknown accounts get none", async () => {
    const port = fx.arm.emu.emulator.port;
    const dfs = await fx.arm.emu.request(
      "HEAD",
      `https://${fx.account}.dfs.localhost:${port}/wfs?resource=filesystem`,
      {
        connectTo: "127.0.0.1",
        headers: { "x-ms-version": STORAGE_VERSION, authorization: `Bearer ${await fx.token()}` },
      },
    );
    expect(dfs.status).toBe(200);
    const blob = await fx.arm.emu.request("GET", `https://${fx.account}.blob.localhost:${port}/?comp=list`, {
      connectTo: "127.0.0.1",
      headers: { "x-ms-version": STORAGE_VERSION, authorization: `Bearer ${await fx.token()}` },
    });
    expect(blob.status).toBe(200);
    expect(blob.text).toContain(`ServiceEndpoint="https://${fx.account}.blob.localhost:${port}/"`);
    await expect(
      fx.arm.emu.request("GET", `https://nosuchacct.dfs.localhost:${port}/`, { connectTo: "127.0.0.1" }),
    ).rejects.toThrow(/altnames|Hostname/i);
  });

  it("path style: an account that does not exist is the storage error (ResourceNotFound), HEAD included", async () => {
    const base = `https://127.0.0.1:${fx.arm.emu.emulator.port}/nosuchacct1`;
    const headers = { "x-ms-version": STORAGE_VERSION, authorization: `Bearer ${await fx.token()}` };
    const head = await fx.arm.emu.request("HEAD", `${base}/wfs/file.txt`, { headers });
    expect([head.status, head.headers["x-ms-error-code"], head.text]).toEqual([404, "ResourceNotFound", ""]);
    const dfs = await fx.arm.emu.request("GET", `${base}/?resource=account`, { headers });
    expect(dfs.status).toBe(404);
    expect(dfsError(dfs)).toMatchObject({
      code: "ResourceNotFound",
      message: expect.stringMatching(/^The storage account 'nosuchacct1' does not exist/),
    });
    const blob = await fx.arm.emu.request("GET", `${base}/wfs?restype=container`, { headers });
    expect([blob.status, blobError(blob)]).toEqual([404, "ResourceNotFound"]);
    const read = await fx.arm.emu.request("GET", `${base}/wfs/file.txt`, { headers });
    expect([read.status, read.headers["x-ms-error-code"]]).toEqual([404, "ResourceNotFound"]);
    // What is not shaped like an account keeps the emulator's own 404.
    const other = await fx.arm.emu.request("GET", `https://127.0.0.1:${fx.arm.emu.emulator.port}/no.such/x`);
    expect([other.status, other.headers["x-ms-error-code"]]).toEqual([404, undefined]);
  });

  it("path style keeps Gen1's /{account}/webhdfs/v1 and the emulator's own first segments", async () => {
    const gen1 = await fx.arm.emu.request("GET", `${fx.arm.emu.url}/${fx.account}/webhdfs/v1/?op=LISTSTATUS`);
    expect(gen1.json().RemoteException).toBeDefined();
    const tokenPath = await fx.arm.emu.request(
      "GET",
      `https://127.0.0.1:${fx.arm.emu.emulator.port}/common/discovery/instance?api-version=1.1&authorization_endpoint=https://login.microsoftonline.com/common/oauth2/v2.0/authorize`,
    );
    // Entra answered (its own error shape), not the storage account named like its tenant alias.
    expect(tokenPath.headers["x-ms-error-code"]).toBeUndefined();
    expect(tokenPath.json().error ?? tokenPath.json().tenant_discovery_endpoint).toBeDefined();
  });
});

describe("durability and account deletion", () => {
  it("flushed data survives a restart; unflushed appends stay invisible; deleting the account deletes its data", async () => {
    await fx.raw("PUT", "/wfs/durable.txt?resource=file");
    await fx.raw("PATCH", "/wfs/durable.txt?action=append&position=0", { body: "kept" });
    await fx.raw("PATCH", "/wfs/durable.txt?action=flush&position=4");
    await fx.raw("PATCH", "/wfs/durable.txt?action=append&position=4", { body: "staged" });
    const journal = fx.arm.emu.emulator.services.journal.entries((e) => e.account === fx.account);
    expect(journal.filter((e) => e.op === "dfs:append").map((e) => e.status)).toEqual([202, 202]);
    await fx.arm.emu.restart();
    const read = await fx.raw("GET", "/wfs/durable.txt");
    expect([read.status, read.text]).toEqual([200, "kept"]);
    // The staged append survived the restart (its blob was not swept): it can still be flushed.
    expect((await fx.raw("PATCH", "/wfs/durable.txt?action=flush&position=10")).status).toBe(200);
    expect((await fx.raw("GET", "/wfs/durable.txt")).text).toBe("keptstaged");

    const dir = path.join(fx.arm.emu.dataDir, "storage", fx.account);
    expect(existsSync(dir)).toBe(true);
    expect((await fx.arm.arm("DELETE", fx.arm.storagePath("dfs", fx.account))).status).toBe(200);
    expect(existsSync(dir)).toBe(false);
    await fx.arm.createStorageAccount("dfs", fx.account);
    const list = await fx.raw("GET", "/?resource=account");
    expect(list.json().filesystems).toEqual([]);
  });
});
