import type { ClientSecretCredential } from "@azure/identity";
import { DataLakeServiceClient, getDataLakeServiceAccountAudience } from "@azure/storage-file-datalake";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DfsFixture, startDfsFixture } from "./dfs-fixture.js";

/**
 * Per-account token audiences: `https://{account}.blob|dfs.{suffix}` (the emulator's suffix, or Azure's
 * `core.windows.net`, which `getDataLakeServiceAccountAudience` names) are issued by the token service and
 * accepted by that account only.
 */
let fx: DfsFixture;
let credential: ClientSecretCredential;

beforeAll(async () => {
  fx = await startDfsFixture("aud");
  credential = fx.credential();
  await fx.owner.client.getFileSystemClient("audfs").create();
}, 60_000);
afterAll(() => fx?.close());

const get = async (scope: string) => {
  const token = (await credential.getToken(scope)).token;
  return fx.raw("GET", "/audfs?resource=filesystem&recursive=false", {
    as: null,
    headers: { authorization: `Bearer ${token}` },
  });
};

describe("per-account audiences", () => {
  it("the SDK's audience option with getDataLakeServiceAccountAudience (core.windows.net) works", async () => {
    const client = new DataLakeServiceClient(fx.endpoint, credential, {
      audience: getDataLakeServiceAccountAudience(fx.account),
    });
    const names: string[] = [];
    for await (const f of client.listFileSystems()) names.push(f.name);
    expect(names).toEqual(["audfs"]);
  });

  it("https://{account}.blob|dfs.localhost:PORT tokens are accepted; another account's are 401", async () => {
    const port = fx.arm.emu.emulator.port;
    for (const api of ["blob", "dfs"])
      expect((await get(`https://${fx.account}.${api}.localhost:${port}/.default`)).status).toBe(200);
    const other = await get(`https://someoneelse.blob.localhost:${port}/.default`);
    expect([other.status, other.headers["x-ms-error-code"]]).toEqual([401, "InvalidAuthenticationInfo"]);
  });

  it("the token service refuses a storage-looking resource under another suffix", async () => {
    await expect(credential.getToken(`https://${fx.account}.blob.example.com/.default`)).rejects.toThrow(
      /AADSTS500011|invalid_resource|not found/,
    );
  });
});
