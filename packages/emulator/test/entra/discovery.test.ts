import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../helpers/test-emulator.js";

describe("Entra discovery, keys and instance discovery", () => {
  let emu: TestEmulator;
  let tid: string;
  beforeAll(async () => {
    emu = await startTestEmulator();
    tid = emu.emulator.connection.tenantId;
  });
  afterAll(() => emu.close());

  it("serves the v2 OpenID document with every field clients look for, on the caller's origin (items 1, 3)", async () => {
    const res = await emu.request("GET", `${emu.url}/${tid}/v2.0/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/json; charset=utf-8");
    const doc = res.json();
    for (const field of [
      "authorization_endpoint",
      "token_endpoint",
      "issuer",
      "jwks_uri",
      "end_session_endpoint",
      "device_authorization_endpoint",
      "token_endpoint_auth_methods_supported",
      "response_types_supported",
      "scopes_supported",
      "subject_types_supported",
      "id_token_signing_alg_values_supported",
      "claims_supported",
      "tenant_region_scope",
      "cloud_instance_name",
    ]) {
      expect(doc).toHaveProperty(field);
    }
    expect(doc.issuer).toBe(`${emu.url}/${tid}/v2.0`);
    expect(doc.token_endpoint).toBe(`${emu.url}/${tid}/oauth2/v2.0/token`);
    const viaIp = (
      await emu.request(
        "GET",
        `${emu.url.replace("localhost", "127.0.0.1")}/${tid}/v2.0/.well-known/openid-configuration`,
      )
    ).json();
    expect(viaIp.issuer.startsWith(emu.url.replace("localhost", "127.0.0.1"))).toBe(true);
  });

  it("resolves a domain alias and answers with the tenant GUID (item 2)", async () => {
    const doc = (
      await emu.request(
        "GET",
        `${emu.url}/${emu.emulator.connection.tenantDomain}/v2.0/.well-known/openid-configuration`,
      )
    ).json();
    expect(doc.issuer).toBe(`${emu.url}/${tid}/v2.0`);
    expect(doc.token_endpoint).toContain(`/${tid}/`);
  });

  it("answers an unknown tenant with invalid_tenant AADSTS90002 (item 4)", async () => {
    const res = await emu.request(
      "GET",
      `${emu.url}/nobody.onmicrosoft.com/v2.0/.well-known/openid-configuration`,
    );
    expect(res.status).toBe(400);
    const body = res.json();
    expect(body).toMatchObject({ error: "invalid_tenant", error_codes: [90002] });
    expect(body.error_description).toMatch(/^AADSTS90002: Tenant 'nobody.onmicrosoft.com' not found/);
    for (const field of ["timestamp", "trace_id", "correlation_id", "error_uri"])
      expect(body).toHaveProperty(field);
  });

  it("uses the {tenantid} placeholder for /common (item 5)", async () => {
    const doc = (await emu.request("GET", `${emu.url}/common/v2.0/.well-known/openid-configuration`)).json();
    expect(doc.issuer).toBe(`${emu.url}/{tenantid}/v2.0`);
    expect(doc.token_endpoint).toBe(`${emu.url}/common/oauth2/v2.0/token`);
  });

  it("serves the v1 document with the sts.windows.net issuer (item 6)", async () => {
    const doc = (await emu.request("GET", `${emu.url}/${tid}/.well-known/openid-configuration`)).json();
    expect(doc.issuer).toBe(`https://sts.windows.net/${tid}/`);
    expect(doc.token_endpoint).toBe(`${emu.url}/${tid}/oauth2/token`);
    expect(doc.jwks_uri).toBe(`${emu.url}/common/discovery/keys`);
  });

  it("publishes the signing key on all four key paths, with the kid of issued tokens (item 7)", async () => {
    const token = await emu.token("https://datalake.azure.net/");
    const kid = JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString()).kid;
    for (const p of [
      `/${tid}/discovery/v2.0/keys`,
      "/common/discovery/v2.0/keys",
      "/common/discovery/keys",
      `/${tid}/discovery/keys`,
    ]) {
      const res = await emu.request("GET", `${emu.url}${p}`);
      expect(res.status).toBe(200);
      const [key] = res.json().keys;
      expect(key).toMatchObject({ kty: "RSA", use: "sig", kid, x5t: kid, e: "AQAB" });
      expect(key.x5c).toHaveLength(1);
    }
  });

  it("answers msal-node's instance discovery for its own host (item 8)", async () => {
    const host = new URL(emu.url).host;
    const res = await emu.request(
      "GET",
      `${emu.url}/common/discovery/instance?api-version=1.1&authorization_endpoint=https://${host}/${tid}/oauth2/v2.0/authorize`,
    );
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({
      tenant_discovery_endpoint: `https://${host}/${tid}/v2.0/.well-known/openid-configuration`,
      "api-version": "1.1",
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    });
  });

  it("answers adal's form (api-version 1.0, v1 authorize URL without the port) (item 9)", async () => {
    const q = new URLSearchParams({
      authorization_endpoint: `https://localhost/${tid}/oauth2/authorize`,
      "api-version": "1.0",
    });
    const res = await emu.request("GET", `${emu.url}/common/discovery/instance?${q}`);
    expect(res.status).toBe(200);
    expect(res.json().tenant_discovery_endpoint).toContain(`/${tid}/v2.0/.well-known/openid-configuration`);
  });

  it("refuses instance discovery for a host it does not own with AADSTS50049 (item 10)", async () => {
    const res = await emu.request(
      "GET",
      `${emu.url}/common/discovery/instance?api-version=1.1&authorization_endpoint=https://login.example.org/t/oauth2/v2.0/authorize`,
    );
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error: "invalid_instance", error_codes: [50049] });
  });

  it("answers unknown paths with a JSON body (item 11)", async () => {
    const res = await emu.request("GET", `${emu.url}/no/such/endpoint`);
    expect(res.status).toBe(404);
    expect(() => res.json()).not.toThrow();
    expect(res.headers["x-ms-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });
});
