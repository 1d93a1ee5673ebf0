import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../helpers/test-emulator.js";

describe("managed identity endpoints", () => {
  let emu: TestEmulator;
  beforeAll(async () => {
    emu = await startTestEmulator();
  });
  afterAll(() => emu.close());

  it("App Service style: needs X-IDENTITY-HEADER and returns a token for the identity", async () => {
    const mi = emu.emulator.connection.managedIdentity;
    const url = `${mi.endpoint}?api-version=2019-08-01&resource=${encodeURIComponent("https://management.azure.com/")}`;
    expect((await emu.request("GET", url)).status).toBe(401);
    expect((await emu.request("GET", url, { headers: { "x-identity-header": "wrong" } })).status).toBe(401);
    const res = await emu.request("GET", url, { headers: { "x-identity-header": mi.header } });
    expect(res.status).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      token_type: "Bearer",
      client_id: mi.clientId,
      resource: "https://management.azure.com/",
    });
    expect(typeof body.expires_on).toBe("string");
    expect(decodeJwt(body.access_token).oid).toBe(mi.objectId);
  });

  it("IMDS style: needs Metadata: true (item 41)", async () => {
    const url = `${emu.url}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=${encodeURIComponent("https://management.azure.com")}`;
    expect((await emu.request("GET", url)).status).toBe(400);
    const res = await emu.request("GET", url, { headers: { metadata: "true" } });
    expect(res.status).toBe(200);
    const body = res.json();
    for (const field of ["expires_in", "expires_on", "not_before", "resource", "token_type", "client_id"])
      expect(typeof body[field]).toBe("string");
  });

  it("refuses an unknown resource and an identity that is not assigned", async () => {
    const mi = emu.emulator.connection.managedIdentity;
    const headers = { "x-identity-header": mi.header };
    expect(
      (
        await emu.request("GET", `${mi.endpoint}?api-version=2019-08-01&resource=https://nothing.example/`, {
          headers,
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await emu.request(
          "GET",
          `${mi.endpoint}?api-version=2019-08-01&resource=https://management.azure.com/&client_id=00000000-0000-0000-0000-000000000000`,
          { headers },
        )
      ).status,
    ).toBe(400);
  });
});
