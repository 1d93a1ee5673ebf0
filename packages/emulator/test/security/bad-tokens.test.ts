import { createHmac, createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATALAKE, type FsFixture, startFsFixture } from "../helpers/webhdfs-fixture.js";

/**
 * Issue 7: forged and unfit tokens are refused by both the filesystem and Resource Manager, for reads and for
 * writes, and a refused write changes nothing. Each forgery is made from a genuine token's claims, so the only
 * thing wrong with it is the thing under test (a control token signed the same way is accepted).
 */
const ARM = "https://management.azure.com/";
let fx: FsFixture;
let signingKey: ReturnType<typeof createPrivateKey>;
let kid: string;
let fsClaims: Record<string, unknown>;
let armClaims: Record<string, unknown>;
let fsGenuine: string;
let armGenuine: string;
let otherTenantFs: string;
let otherTenantArm: string;

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString());
const now = () => Math.floor(Date.now() / 1000);

async function otherTenantToken(resource: string): Promise<string> {
  const form = new URLSearchParams({
    grant_type: "client_credentials",
    client_id: fx.foreign.clientId,
    client_secret: fx.foreign.secret,
    resource,
  });
  const res = await fx.emu.request("POST", `${fx.emu.url}/${fx.foreign.tenantId}/oauth2/token`, {
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form.toString(),
  });
  expect(res.status).toBe(200);
  return res.json().access_token;
}

beforeAll(async () => {
  fx = await startFsFixture("tokacct");
  signingKey = createPrivateKey(
    readFileSync(path.join(fx.emu.dataDir, "identity", "token-signing-key.pem"), "utf8"),
  );
  kid = fx.emu.emulator.services.identity.keyId;
  fsGenuine = await fx.tokenFor("owner");
  armGenuine = await fx.emu.token(ARM);
  fsClaims = claimsOf(fsGenuine);
  armClaims = claimsOf(armGenuine);
  otherTenantFs = await otherTenantToken(DATALAKE);
  otherTenantArm = await otherTenantToken(ARM);
  const put = await fx.call("PUT", "/existing", "op=CREATE&overwrite=true", { body: "kept" });
  expect(put.status).toBe(201);
}, 60_000);
afterAll(() => fx?.close());

/** Signs claims with the emulator's own key: valid except for whatever the claims get wrong. */
const signed = (claims: Record<string, unknown>) =>
  new SignJWT(claims).setProtectedHeader({ alg: "RS256", typ: "JWT", kid, x5t: kid }).sign(signingKey);

type Forge = (base: Record<string, unknown>, genuine: string) => Promise<string> | string;

const FORGERIES: Array<[string, Forge]> = [
  [
    "a bad signature (another key, the emulator's kid)",
    (c) => {
      const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
      return new SignJWT(c).setProtectedHeader({ alg: "RS256", typ: "JWT", kid }).sign(privateKey);
    },
  ],
  [
    "a genuine token with its claims changed (signature no longer matches)",
    (c, g) => {
      const [h, , s] = g.split(".");
      return `${h}.${b64({ ...c, oid: randomUUID(), exp: now() + 86_400 })}.${s}`;
    },
  ],
  ["alg: none, no signature", (c) => `${b64({ alg: "none", typ: "JWT" })}.${b64(c)}.`],
  [
    "alg: none, with the genuine signature",
    (c, g) => `${b64({ alg: "none", typ: "JWT" })}.${b64(c)}.${g.split(".")[2]}`,
  ],
  [
    "HS256 keyed with the public key (algorithm confusion)",
    (c) => {
      const publicPem = createPublicKey(signingKey).export({ type: "spki", format: "pem" }).toString();
      const head = `${b64({ alg: "HS256", typ: "JWT", kid })}.${b64(c)}`;
      return `${head}.${createHmac("sha256", publicPem).update(head).digest("base64url")}`;
    },
  ],
  ["the wrong audience", (c) => signed({ ...c, aud: "https://evil.example/" })],
  [
    "an unknown tenant",
    (c) => signed({ ...c, tid: randomUUID(), iss: `https://sts.windows.net/${randomUUID()}/` }),
  ],
  ["an issuer that is not its tenant's", (c) => signed({ ...c, iss: "https://sts.windows.net/attacker/" })],
  [
    "expired (beyond the clock skew)",
    (c) => signed({ ...c, iat: now() - 7200, nbf: now() - 7200, exp: now() - 120 }),
  ],
  [
    "not yet valid (beyond the clock skew)",
    (c) => signed({ ...c, iat: now(), nbf: now() + 600, exp: now() + 4200 }),
  ],
  ["not a JWT", () => "not.a.jwt"],
  ["empty", () => ""],
];

describe("forged and unfit tokens are refused by the filesystem and Resource Manager", () => {
  it("a control token signed the same way is accepted by both (so the refusals below mean something)", async () => {
    const fsOk = await fx.call("GET", "/existing", "op=GETFILESTATUS", {
      headers: { authorization: `Bearer ${await signed(fsClaims)}` },
    });
    expect(fsOk.status, fsOk.text).toBe(200);
    const armOk = await fx.emu.request("GET", armUrl("resourcegroups"), {
      headers: { authorization: `Bearer ${await signed(armClaims)}` },
    });
    expect(armOk.status, armOk.text).toBe(200);
  });

  for (const [name, forge] of FORGERIES) {
    it(`${name}: 401 on reads and writes, nothing changes`, async () => {
      const fsToken = await forge(fsClaims, fsGenuine);
      const armToken = await forge(armClaims, armGenuine);
      await expectFsRefused(fsToken, 401);
      await expectArmRefused(armToken, 401);
    });
  }

  it("a Resource Manager token at the filesystem, and a filesystem token at Resource Manager: 401", async () => {
    await expectFsRefused(armGenuine, 401);
    await expectArmRefused(fsGenuine, 401);
  });

  it("a genuine token from another tenant: 401 from both (the account and the subscription are the default tenant's)", async () => {
    await expectFsRefused(otherTenantFs, 401);
    await expectArmRefused(otherTenantArm, 401);
  });
});

function armUrl(rest: string): string {
  return `${fx.emu.url}/subscriptions/${fx.emu.emulator.connection.subscriptionId}/${rest}?api-version=2022-09-01`;
}

async function expectFsRefused(token: string, status: number): Promise<void> {
  const auth = { authorization: `Bearer ${token}` };
  const name = `f-${randomUUID()}`;
  const read = await fx.call("GET", "/existing", "op=OPEN&read=true", { headers: auth });
  expect(read.status, read.text).toBe(status);
  expect(read.json().RemoteException.exception).toMatch(/SecurityException|AccessControlException/);
  expect(read.text).not.toContain("kept");
  const write = await fx.call("PUT", `/${name}`, "op=CREATE&overwrite=true", { headers: auth, body: "x" });
  expect(write.status, write.text).toBe(status);
  const del = await fx.call("DELETE", "/existing", "op=DELETE", { headers: auth });
  expect(del.status, del.text).toBe(status);
  // Nothing changed.
  expect((await fx.call("GET", `/${name}`, "op=GETFILESTATUS")).status).toBe(404);
  expect((await fx.call("GET", "/existing", "op=OPEN&read=true")).text).toBe("kept");
}

async function expectArmRefused(token: string, status: number): Promise<void> {
  const auth = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const group = `rg-${randomUUID().slice(0, 8)}`;
  const list = await fx.emu.request("GET", armUrl("resourcegroups"), { headers: auth });
  expect(list.status, list.text).toBe(status);
  expect(list.json().error.code).toMatch(/Authentication|Token/);
  const put = await fx.emu.request("PUT", armUrl(`resourcegroups/${group}`), {
    headers: auth,
    body: JSON.stringify({ location: "eastus" }),
  });
  expect(put.status, put.text).toBe(status);
  const check = await fx.emu.request("GET", armUrl(`resourcegroups/${group}`), {
    headers: { authorization: `Bearer ${armGenuine}` },
  });
  expect(check.status, check.text).toBe(404);
}
