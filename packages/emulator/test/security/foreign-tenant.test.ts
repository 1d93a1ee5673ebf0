import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator, type TestResponse } from "../helpers/test-emulator.js";
import { DATALAKE } from "../helpers/webhdfs-fixture.js";

/**
 * Issue 16, finding 5: an account belongs to the tenant of its subscription, and a validly signed token from
 * another tenant's principal is refused by its filesystem with 401, exactly as Resource Manager refuses it for the
 * subscription; ACL entries naming that principal change nothing. Two tenants: the default one (a configured
 * account, so the default subscription's) and tenant B, whose principal creates an account in B's subscription
 * through Resource Manager.
 */
const ARM = "https://management.azure.com/";
const B = {
  tenantId: randomUUID(),
  subscription: randomUUID(),
  clientId: randomUUID(),
  objectId: randomUUID(),
};
const B_SECRET = `b~${randomUUID()}`;
let emu: TestEmulator;

beforeAll(async () => {
  emu = await startTestEmulator({
    accounts: ["homeacct"],
    arm: { lroPolls: 0 },
    tenants: [
      {
        id: B.tenantId,
        applications: [{ clientId: B.clientId, objectId: B.objectId, secrets: [B_SECRET] }],
        subscriptions: [{ id: B.subscription }],
      },
    ],
  });
}, 60_000);
afterAll(() => emu?.close());

const tokens = new Map<string, string>();
async function tokenOf(who: "home" | "b", resource: string): Promise<string> {
  const key = `${who} ${resource}`;
  const cached = tokens.get(key);
  if (cached) return cached;
  if (who === "home") {
    tokens.set(key, await emu.token(resource));
  } else {
    const res = await emu.request("POST", `${emu.url}/${B.tenantId}/oauth2/token`, {
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: B.clientId,
        client_secret: B_SECRET,
        resource,
      }).toString(),
    });
    expect(res.status, res.text).toBe(200);
    tokens.set(key, res.json().access_token);
  }
  return tokens.get(key)!;
}

async function fs(
  who: "home" | "b",
  account: string,
  method: string,
  path: string,
  query: string,
  body?: string,
): Promise<TestResponse> {
  const headers: Record<string, string> = { authorization: `Bearer ${await tokenOf(who, DATALAKE)}` };
  if (body === undefined && method !== "GET") headers["content-length"] = "0";
  return emu.request(method, `${emu.url}/${account}/webhdfs/v1${path}?${query}`, {
    headers,
    ...(body !== undefined ? { body } : {}),
  });
}

async function arm(who: "home" | "b", method: string, path: string, body?: unknown): Promise<TestResponse> {
  const version = path.includes("Microsoft.DataLakeStore") ? "2016-11-01" : "2022-09-01";
  return emu.request(method, `${emu.url}${path}${path.includes("?") ? "&" : "?"}api-version=${version}`, {
    headers: {
      authorization: `Bearer ${await tokenOf(who, ARM)}`,
      "content-type": "application/json",
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

function expectTenantRefusal(res: TestResponse): void {
  expect(res.status, res.text).toBe(401);
  const exception = res.json().RemoteException;
  expect(exception.exception).toBe("SecurityException");
  expect(exception.message).toMatch(/tenant/i);
}

/** Every way in: reads, listings, writes, deletes, permission changes. */
async function expectLockedOut(who: "home" | "b", account: string, existing: string, kept: string) {
  const attempts: Array<[string, string, string, string?]> = [
    ["GET", existing, "op=OPEN&read=true"],
    ["GET", existing, "op=GETFILESTATUS"],
    ["GET", "/", "op=LISTSTATUS"],
    ["GET", "/", "op=GETCONTENTSUMMARY"],
    ["GET", existing, "op=GETACLSTATUS"],
    ["PUT", `/intruder-${randomUUID()}`, "op=CREATE&overwrite=true&write=true", "x"],
    ["POST", existing, "op=APPEND&append=true", "y"],
    ["PUT", existing, `op=MODIFYACLENTRIES&aclSpec=user:${B.objectId}:rwx`],
    ["PUT", existing, "op=SETPERMISSION&permission=777"],
    ["DELETE", existing, "op=DELETE"],
  ];
  for (const [method, path, query, body] of attempts) {
    const res = await fs(who, account, method, path, query, body);
    expectTenantRefusal(res);
    expect(res.text).not.toContain(kept);
  }
}

describe("a token from another tenant is refused by the filesystem as by Resource Manager", () => {
  it("a configured account (default tenant): tenant B's token gets 401 on every operation, even with an ACL entry naming it", async () => {
    const owner = (m: string, p: string, q: string, b?: string) => fs("home", "homeacct", m, p, q, b);
    expect(
      (await owner("PUT", "/kept.txt", "op=CREATE&overwrite=true&write=true", "home secret")).status,
    ).toBe(201);
    // The owner even grants B's principal everything: a grant cannot cross the tenant boundary.
    for (const path of ["/", "/kept.txt"]) {
      expect((await owner("PUT", path, `op=MODIFYACLENTRIES&aclSpec=user:${B.objectId}:rwx`)).status).toBe(
        200,
      );
    }
    await expectLockedOut("b", "homeacct", "/kept.txt", "home secret");
    // Nothing changed.
    expect((await owner("GET", "/kept.txt", "op=OPEN&read=true")).text).toBe("home secret");
    expect(
      (await owner("GET", "/", "op=LISTSTATUS"))
        .json()
        .FileStatuses.FileStatus.map((s: { pathSuffix: string }) => s.pathSuffix),
    ).toEqual(["kept.txt"]);
    // Resource Manager says the same about the default subscription.
    const sub = emu.emulator.connection.subscriptionId;
    const armRes = await arm("b", "GET", `/subscriptions/${sub}/resourcegroups`);
    expect(armRes.status, armRes.text).toBe(401);
    expect(armRes.json().error.code).toBe("InvalidAuthenticationTokenTenant");
  });

  it("an account tenant B created in its own subscription: B's principal uses it, the default tenant's owner gets 401", async () => {
    const register = await emu.request(
      "POST",
      `${emu.url}/subscriptions/${B.subscription}/providers/Microsoft.DataLakeStore/register?api-version=2021-04-01`,
      { headers: { authorization: `Bearer ${await tokenOf("b", ARM)}`, "content-length": "0" } },
    );
    expect(register.status, register.text).toBe(200);
    const group = `/subscriptions/${B.subscription}/resourcegroups/rgb`;
    expect([200, 201]).toContain((await arm("b", "PUT", group, { location: "eastus2" })).status);
    const account = `/subscriptions/${B.subscription}/resourceGroups/rgb/providers/Microsoft.DataLakeStore/accounts/awayacct`;
    const created = await arm("b", "PUT", account, { location: "eastus2" });
    expect(created.status, created.text).toBe(201);
    for (
      let i = 0;
      i < 20 && (await arm("b", "GET", account)).json().properties.provisioningState !== "Succeeded";
      i++
    )
      await new Promise((r) => setTimeout(r, 100));
    expect(
      (await fs("b", "awayacct", "PUT", "/b.txt", "op=CREATE&overwrite=true&write=true", "b data")).status,
    ).toBe(201);
    expect((await fs("b", "awayacct", "GET", "/b.txt", "op=OPEN&read=true")).text).toBe("b data");

    await expectLockedOut("home", "awayacct", "/b.txt", "b data");
    expect((await fs("b", "awayacct", "GET", "/b.txt", "op=OPEN&read=true")).text).toBe("b data");
    // Resource Manager: the default tenant's token on B's subscription is the same 401.
    const armRes = await arm("home", "GET", `/subscriptions/${B.subscription}/resourcegroups`);
    expect(armRes.status, armRes.text).toBe(401);
  });

  it("the rule survives a restart (the account's subscription is kept with it)", async () => {
    await emu.restart();
    tokens.clear();
    expectTenantRefusal(await fs("b", "homeacct", "GET", "/kept.txt", "op=OPEN&read=true"));
    expectTenantRefusal(await fs("home", "awayacct", "GET", "/b.txt", "op=OPEN&read=true"));
    expect((await fs("home", "homeacct", "GET", "/kept.txt", "op=OPEN&read=true")).text).toBe("home secret");
    expect((await fs("b", "awayacct", "GET", "/b.txt", "op=OPEN&read=true")).text).toBe("b data");
  });
});
