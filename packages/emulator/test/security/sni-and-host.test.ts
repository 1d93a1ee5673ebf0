import https from "node:https";
import tls from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ArmFixture, startArmFixture } from "../arm/arm-fixture.js";
import { DATALAKE } from "../helpers/webhdfs-fixture.js";

/**
 * Issue 16, finding 9: no work before authentication for names a client makes up (a TLS server name that is not
 * an existing account's host gets the default certificate, nothing is minted), and a `Host` header chosen by the
 * client is never written back into a URL (`Location`, discovery documents): only our own names are.
 */
let fx: ArmFixture;
let port: number;

beforeAll(async () => {
  fx = await startArmFixture({ accounts: ["sniacct"] });
  port = fx.emu.emulator.port;
}, 60_000);
afterAll(() => fx?.close());

/** The fingerprint and DNS names of the certificate served for `servername`. */
function served(servername: string): Promise<{ fingerprint: string; names: string }> {
  return new Promise((resolve, reject) => {
    // Only the certificate is looked at here, so the name check is the test's, not the TLS client's.
    const options = {
      host: "127.0.0.1",
      port,
      servername,
      ca: fx.emu.emulator.caPem,
      checkServerIdentity: () => undefined,
    };
    const socket = tls.connect(options, () => {
      const cert = socket.getPeerCertificate();
      resolve({ fingerprint: cert.fingerprint256, names: cert.subjectaltname ?? "" });
      socket.end();
    });
    socket.on("error", reject);
  });
}

/** A request to 127.0.0.1 that claims `host` in its Host header (SNI: localhost). */
function withHost(
  method: string,
  path: string,
  host: string,
  headers: Record<string, string> = {},
  body?: string,
) {
  return new Promise<{ status: number; headers: Record<string, unknown>; text: string }>(
    (resolve, reject) => {
      const req = https.request(
        {
          method,
          host: "127.0.0.1",
          servername: "localhost",
          port,
          path,
          ca: fx.emu.emulator.caPem,
          headers: { ...headers, host, "content-length": String(Buffer.byteLength(body ?? "")) },
        },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (c: string) => {
            text += c;
          });
          res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
        },
      );
      req.on("error", reject);
      req.end(body);
    },
  );
}

describe("TLS server names", () => {
  it("made-up names get the default certificate (nothing minted); an existing account's name gets its own", async () => {
    const base = await served("localhost");
    expect(base.names).toContain("DNS:localhost");
    for (let i = 0; i < 40; i++) {
      const made = await served(`nosuch${i}x.localhost`);
      expect(made.fingerprint).toBe(base.fingerprint);
    }
    const account = await served("sniacct.localhost");
    expect(account.fingerprint).not.toBe(base.fingerprint);
    expect(account.names).toContain("DNS:sniacct.localhost");
  });
});

describe("a client's Host header is not reflected", () => {
  const evil = () => `evil.example:${port}`;
  const ours = () => `https://localhost:${port}`;

  it("discovery documents name our host", async () => {
    const tenant = fx.emu.emulator.connection.tenantId;
    for (const path of [
      `/${tenant}/v2.0/.well-known/openid-configuration`,
      `/${tenant}/.well-known/openid-configuration`,
    ]) {
      const res = await withHost("GET", path, evil());
      expect(res.status, res.text).toBe(200);
      expect(res.text).not.toContain("evil.example");
      const document = JSON.parse(res.text);
      for (const field of ["token_endpoint", "jwks_uri"])
        expect(document[field], field).toMatch(new RegExp(`^${ours()}/`));
    }
    const instance = await withHost(
      "GET",
      `/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent(`https://localhost:1/${tenant}/oauth2/authorize`)}`,
      evil(),
    );
    expect(instance.status, instance.text).toBe(200);
    expect(JSON.parse(instance.text).tenant_discovery_endpoint).toMatch(new RegExp(`^${ours()}/`));
  });

  it("Resource Manager Location headers name our host, and a wrong port is not echoed either", async () => {
    const token = await fx.token();
    await fx.createGroup("hostrg");
    for (const host of [evil(), "localhost:1"]) {
      const name = `h${Math.random().toString(36).slice(2, 10)}`;
      const res = await withHost(
        "PUT",
        `${fx.accountPath("hostrg", name)}?api-version=2016-11-01`,
        host,
        { authorization: `Bearer ${token}`, "content-type": "application/json" },
        JSON.stringify({ location: "eastus2" }),
      );
      expect(res.status, res.text).toBe(201);
      for (const header of ["location", "azure-asyncoperation"])
        expect(String(res.headers[header])).toMatch(new RegExp(`^${ours()}/`));
    }
  });

  it("the filesystem's CREATE Location names our host; 127.0.0.1 and an existing account's host are ours", async () => {
    const token = await fx.emu.token(DATALAKE);
    const auth = { authorization: `Bearer ${token}` };
    const evilCreate = await withHost(
      "PUT",
      "/sniacct/webhdfs/v1/f1?op=CREATE&overwrite=true",
      evil(),
      auth,
      "x",
    );
    expect(evilCreate.status, evilCreate.text).toBe(201);
    expect(String(evilCreate.headers.location)).toBe(
      `${ours()}/sniacct/webhdfs/v1/f1?op=CREATE&overwrite=true`,
    );
    const loopback = await withHost(
      "PUT",
      "/sniacct/webhdfs/v1/f2?op=CREATE&overwrite=true",
      `127.0.0.1:${port}`,
      auth,
      "x",
    );
    expect(String(loopback.headers.location)).toMatch(new RegExp(`^https://127\\.0\\.0\\.1:${port}/`));
    const hostStyle = await withHost(
      "PUT",
      "/webhdfs/v1/f3?op=CREATE&overwrite=true",
      `sniacct.localhost:${port}`,
      auth,
      "x",
    );
    expect(hostStyle.status, hostStyle.text).toBe(201);
    expect(String(hostStyle.headers.location)).toBe(
      `https://sniacct.localhost:${port}/webhdfs/v1/f3?op=CREATE&overwrite=true`,
    );
  });
});
