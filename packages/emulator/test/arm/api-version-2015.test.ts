import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATALAKE } from "../helpers/webhdfs-fixture.js";
import { type ArmFixture, accountName, armError, startArmFixture } from "./arm-fixture.js";

/**
 * Issue 16, older clients: Microsoft.DataLakeStore api-version 2015-10-01-preview, as the last SDK built on it
 * (azure-arm-datalake-store 0.4.2 for Node) sends it: accounts (create, get, list, update, delete) and firewall
 * rules, with the same shapes as 2016-11-01. That version had no trusted identity providers or virtual network
 * rules (the 2015 SDK has no operations for them), so those answer NoRegisteredProviderFound. The filesystem
 * accepts any api-version; here with the 2015 SDK's own request shapes (paths sent with `/` as %2F).
 */
const OLD = "2015-10-01-preview";
const NEW = "2016-11-01";
let fx: ArmFixture;
let account: string;

beforeAll(async () => {
  fx = await startArmFixture({ arm: { pageSize: 100, lroPolls: 1, retryAfterSeconds: 1 } });
  await fx.createGroup("old");
  account = accountName("old");
}, 60_000);
afterAll(() => fx?.close());

const old = (method: string, path: string, body?: unknown) =>
  fx.arm(method, path, { apiVersion: OLD, ...(body !== undefined ? { body } : {}) });

/** A body without the fields that differ between two reads of the same resource by nature. */
const stable = (body: Record<string, unknown>) => JSON.parse(JSON.stringify(body));

describe("Microsoft.DataLakeStore 2015-10-01-preview", () => {
  it("creates an account (201, long-running, links that keep the version), then reads it as 2016-11-01 shows it", async () => {
    // The 2015 SDK's DataLakeStoreAccount body: location, name, tags and properties.
    const created = await old("PUT", fx.accountPath("old", account), {
      location: "eastus2",
      name: account,
      tags: { from: "2015" },
      properties: {},
    });
    expect(created.status, created.text).toBe(201);
    const poll = String(created.headers["azure-asyncoperation"]);
    expect(poll).toContain(`api-version=${OLD}`);
    expect(String(created.headers.location)).toContain(`api-version=${OLD}`);
    let status = "";
    for (let i = 0; i < 10 && status !== "Succeeded"; i++) {
      const res = await fx.arm("GET", poll);
      expect(res.status, res.text).toBe(200);
      status = res.json().status;
    }
    expect(status).toBe("Succeeded");
    const got = await old("GET", fx.accountPath("old", account));
    expect(got.status, got.text).toBe(200);
    expect(got.json().properties.provisioningState).toBe("Succeeded");
    const current = await fx.arm("GET", fx.accountPath("old", account), { apiVersion: NEW });
    expect(stable(got.json())).toEqual(stable(current.json()));
  });

  it("lists accounts by group and by subscription, and updates with PATCH", async () => {
    for (const path of [
      `/subscriptions/${fx.sub}/resourceGroups/old/providers/Microsoft.DataLakeStore/accounts`,
      `/subscriptions/${fx.sub}/providers/Microsoft.DataLakeStore/accounts`,
    ]) {
      const res = await old("GET", path);
      expect(res.status, res.text).toBe(200);
      expect(res.json().value.map((a: { name: string }) => a.name)).toContain(account);
    }
    const patched = await old("PATCH", fx.accountPath("old", account), { tags: { from: "2015", v: "2" } });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.json().tags).toEqual({ from: "2015", v: "2" });
  });

  it("firewall rules: create (200), get, list, delete, in 2016-11-01's shapes", async () => {
    const rule = `${fx.accountPath("old", account)}/firewallRules/office`;
    // The 2015 SDK sends name and properties (and expects exactly 200 on create).
    const put = await old("PUT", rule, {
      name: "office",
      properties: { startIpAddress: "10.0.0.1", endIpAddress: "10.0.0.9" },
    });
    expect(put.status, put.text).toBe(200);
    const got = await old("GET", rule);
    expect(got.status).toBe(200);
    expect(got.json()).toEqual((await fx.arm("GET", rule, { apiVersion: NEW })).json());
    const list = await old("GET", `${fx.accountPath("old", account)}/firewallRules`);
    expect(list.status).toBe(200);
    expect(list.json().value.map((r: { name: string }) => r.name)).toEqual(["office"]);
    expect((await old("DELETE", rule)).status).toBe(200);
    expect((await old("GET", rule)).status).toBe(404);
  });

  it("trusted identity providers and virtual network rules did not exist in 2015: NoRegisteredProviderFound", async () => {
    for (const [kind, body] of [
      [
        "trustedIdProviders",
        { properties: { idProvider: "https://sts.windows.net/00000000-0000-0000-0000-000000000001" } },
      ],
      [
        "virtualNetworkRules",
        {
          properties: {
            subnetId:
              "/subscriptions/x/resourceGroups/n/providers/Microsoft.Network/virtualNetworks/v/subnets/s",
          },
        },
      ],
    ] as const) {
      const res = await old("PUT", `${fx.accountPath("old", account)}/${kind}/one`, body);
      expect(res.status, res.text).toBe(400);
      const error = armError(res);
      expect(error.code).toBe("NoRegisteredProviderFound");
      expect(error.message).toContain(`for type 'accounts/${kind}'`);
      expect(error.message).toContain(`The supported api-versions are '${NEW}'.`);
      expect(
        (await fx.arm("GET", `${fx.accountPath("old", account)}/${kind}`, { apiVersion: NEW })).json().value,
      ).toEqual([]);
    }
  });

  it("the provider lists 2015-10-01-preview for accounts and firewall rules only", async () => {
    const res = await fx.arm("GET", `/subscriptions/${fx.sub}/providers/Microsoft.DataLakeStore`, {
      apiVersion: "2021-04-01",
    });
    const versions = Object.fromEntries(
      res
        .json()
        .resourceTypes.map((t: { resourceType: string; apiVersions: string[] }) => [
          t.resourceType,
          t.apiVersions,
        ]),
    );
    expect(versions.accounts).toEqual([NEW, OLD]);
    expect(versions["accounts/firewallRules"]).toEqual([NEW, OLD]);
    expect(versions["accounts/trustedIdProviders"]).toEqual([NEW]);
    expect(versions["accounts/virtualNetworkRules"]).toEqual([NEW]);
  });

  it("versions that never existed are still refused, listing what is served", async () => {
    const res = await fx.arm("GET", `/subscriptions/${fx.sub}/providers/Microsoft.DataLakeStore/accounts`, {
      apiVersion: "2014-01-01",
    });
    expect(res.status).toBe(400);
    expect(armError(res).message).toContain(`'${OLD}, ${NEW}'`);
  });

  it("the filesystem serves the 2015 SDK's requests (api-version=2015-10-01-preview, paths with %2F)", async () => {
    const token = await fx.emu.token(DATALAKE);
    const fs = (method: string, prefix: string, path: string, query: string, body?: string) =>
      fx.emu.request(
        method,
        `${fx.emu.url}/${account}${prefix}/${encodeURIComponent(path)}?${query}&api-version=${OLD}`,
        {
          headers: {
            authorization: `Bearer ${token}`,
            ...(body === undefined ? { "content-length": "0" } : {}),
          },
          ...(body !== undefined ? { body } : {}),
        },
      );
    expect((await fs("PUT", "/webhdfs/v1", "d1/d2", "op=MKDIRS")).status).toBe(200);
    expect(
      (await fs("PUT", "/webhdfs/v1", "d1/d2/f.txt", "overwrite=true&op=CREATE&write=true", "hello")).status,
    ).toBe(201);
    expect(
      (await fs("POST", "/webhdfs/v1", "d1/d2/f.txt", "offset=5&op=APPEND&append=true", " world")).status,
    ).toBe(200);
    expect(
      (await fs("POST", "/WebHdfsExt", "d1/d2/f.txt", "appendMode=autocreate&op=CONCURRENTAPPEND", "!"))
        .status,
    ).toBe(200);
    expect((await fs("GET", "/webhdfs/v1", "d1/d2/f.txt", "op=OPEN&read=true")).text).toBe("hello world!");
    const status = await fs("GET", "/webhdfs/v1", "d1/d2/f.txt", "op=GETFILESTATUS");
    expect(status.json().FileStatus.length).toBe(12);
    const list = await fs("GET", "/webhdfs/v1", "d1/d2", "op=LISTSTATUS");
    expect(list.json().FileStatuses.FileStatus.map((s: { pathSuffix: string }) => s.pathSuffix)).toEqual([
      "f.txt",
    ]);
    expect(
      (await fs("PUT", "/webhdfs/v1", "d1/d2/g.txt", "overwrite=true&op=CREATE&write=true", "-more")).status,
    ).toBe(201);
    const concat = await fs(
      "POST",
      "/webhdfs/v1",
      "d1/joined.txt",
      "op=MSCONCAT",
      JSON.stringify({ sources: ["/d1/d2/f.txt", "/d1/d2/g.txt"] }),
    );
    expect(concat.status, concat.text).toBe(200);
    expect((await fs("GET", "/webhdfs/v1", "d1/joined.txt", "op=OPEN&read=true")).text).toBe(
      "hello world!-more",
    );
    expect((await fs("DELETE", "/webhdfs/v1", "d1", "recursive=true&op=DELETE")).json()).toEqual({
      boolean: true,
    });
  });

  it("deletes the account (200)", async () => {
    expect((await old("DELETE", fx.accountPath("old", account))).status).toBe(200);
    expect((await old("GET", fx.accountPath("old", account))).status).toBe(404);
  });
});
