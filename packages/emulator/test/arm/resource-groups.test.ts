import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ArmFixture, accountName, armError, RG_API, startArmFixture } from "./arm-fixture.js";

describe("resource groups (items 51-57)", () => {
  let fx: ArmFixture;
  const rg = (name: string) => `/subscriptions/${fx.sub}/resourcegroups/${name}`;

  beforeAll(async () => {
    fx = await startArmFixture({ arm: { pageSize: 100, lroPolls: 1, retryAfterSeconds: 1 } });
  }, 60_000);
  afterAll(() => fx.close());

  it("creates with 201, then answers 200 on a repeat PUT, with the full body (item 51)", async () => {
    const first = await fx.arm("PUT", rg("rg-create"), {
      body: { location: "East US", tags: { env: "test" } },
    });
    expect(first.status).toBe(201);
    expect(first.json()).toEqual({
      id: `/subscriptions/${fx.sub}/resourceGroups/rg-create`,
      name: "rg-create",
      type: "Microsoft.Resources/resourceGroups",
      location: "eastus",
      tags: { env: "test" },
      properties: { provisioningState: "Succeeded" },
    });
    const again = await fx.arm("PUT", rg("rg-create"), {
      body: { location: "eastus", tags: { env: "prod" } },
    });
    expect(again.status).toBe(200);
    expect(again.json().tags).toEqual({ env: "prod" });
  });

  it("refuses to move an existing group to another location with 409 InvalidResourceGroupLocation (item 52)", async () => {
    await fx.createGroup("rg-move", "eastus");
    const res = await fx.arm("PUT", rg("rg-move"), { body: { location: "westeurope" } });
    expect(res.status).toBe(409);
    expect(armError(res).code).toBe("InvalidResourceGroupLocation");
  });

  it("validates the body and the name", async () => {
    const noLocation = await fx.arm("PUT", rg("rg-noloc"), { body: { tags: {} } });
    expect(noLocation.status).toBe(400);
    expect(armError(noLocation).code).toBe("LocationRequired");
    const badName = await fx.arm("PUT", rg("ends-with-dot."), { body: { location: "eastus" } });
    expect(badName.status).toBe(400);
    expect(armError(badName).code).toBe("InvalidResourceGroup");
    const badTags = await fx.arm("PUT", rg("rg-badtags"), { body: { location: "eastus", tags: { n: 1 } } });
    expect(badTags.status).toBe(400);
  });

  it("gets an existing group and answers a missing one with ResourceGroupNotFound (item 53)", async () => {
    await fx.createGroup("rg-get");
    expect((await fx.arm("GET", rg("rg-get"))).json().name).toBe("rg-get");
    const missing = await fx.arm("GET", rg("rg-nowhere"));
    expect(missing.status).toBe(404);
    expect(armError(missing)).toEqual({
      code: "ResourceGroupNotFound",
      message: "Resource group 'rg-nowhere' could not be found.",
    });
  });

  it("answers HEAD with 204 for an existing group and 404 for a missing one, without bodies (item 54)", async () => {
    await fx.createGroup("rg-head");
    const exists = await fx.arm("HEAD", rg("rg-head"));
    expect(exists.status).toBe(204);
    expect(exists.body.length).toBe(0);
    const missing = await fx.arm("HEAD", rg("rg-head-missing"));
    expect(missing.status).toBe(404);
    expect(missing.body.length).toBe(0);
  });

  it("replaces tags with PATCH", async () => {
    await fx.arm("PUT", rg("rg-patch"), { body: { location: "eastus", tags: { a: "1", b: "2" } } });
    const res = await fx.arm("PATCH", rg("rg-patch"), { body: { tags: { c: "3" } } });
    expect(res.status).toBe(200);
    expect(res.json().tags).toEqual({ c: "3" });
  });

  it("deletes as a long-running operation: 202 + Location, Deleting while it runs, then gone with its accounts (item 55)", async () => {
    await fx.createGroup("rg-delete");
    const name = accountName("rgdel");
    await fx.createAccount("rg-delete", name);
    expect(fx.emu.emulator.services.accounts.has(name)).toBe(true);

    const res = await fx.arm("DELETE", rg("rg-delete"));
    expect(res.status).toBe(202);
    expect(res.body.length).toBe(0);
    const location = String(res.headers.location);
    expect(location).toMatch(
      new RegExp(
        `^${fx.emu.url}/subscriptions/${fx.sub}/operationresults/[A-Za-z0-9_-]+\\?api-version=${RG_API}$`,
      ),
    );
    expect(Number(res.headers["retry-after"])).toBeGreaterThanOrEqual(1);

    const during = await fx.arm("GET", rg("rg-delete"));
    expect(during.status).toBe(200);
    expect(during.json().properties.provisioningState).toBe("Deleting");
    const write = await fx.arm("PUT", fx.accountPath("rg-delete", accountName("late")), {
      body: { location: "eastus2" },
    });
    expect(write.status).toBe(409);
    expect(armError(write).code).toBe("ResourceGroupBeingDeleted");

    const done = await fx.arm("GET", location);
    expect(done.status).toBe(200);
    expect((await fx.arm("GET", rg("rg-delete"))).status).toBe(404);
    expect(fx.emu.emulator.services.accounts.has(name)).toBe(false);
    const nameCheck = await fx.arm(
      "POST",
      `/subscriptions/${fx.sub}/providers/Microsoft.DataLakeStore/locations/eastus2/checkNameAvailability`,
      {
        body: { name, type: "Microsoft.DataLakeStore/accounts" },
      },
    );
    expect(nameCheck.json()).toEqual({ nameAvailable: true });
    // The record outlives the group: a late poll still answers, never 404.
    expect((await fx.arm("GET", location)).status).toBe(200);
  });

  it("keeps answering 202 on the Location URL for the configured number of polls", async () => {
    const admin = {
      "x-adl-emulator-key": fx.emu.emulator.connection.adminKey,
      "content-type": "application/json",
    };
    await fx.emu.request("PATCH", `${fx.emu.url}/_emulator/config`, {
      headers: admin,
      body: JSON.stringify({ arm: { lroPolls: 3 } }),
    });
    try {
      await fx.createGroup("rg-slow");
      const location = String((await fx.arm("DELETE", rg("rg-slow"))).headers.location);
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const poll = await fx.arm("GET", location, { headers: { accept: "*/*" } });
        statuses.push(poll.status);
        if (poll.status === 202) expect(poll.headers.location).toBe(location);
      }
      expect(statuses).toEqual([202, 202, 202, 200]);
    } finally {
      await fx.emu.request("PATCH", `${fx.emu.url}/_emulator/config`, {
        headers: admin,
        body: JSON.stringify({ arm: { lroPolls: 1 } }),
      });
    }
  });

  it("answers DELETE of a missing group with 404 ResourceGroupNotFound (item 55)", async () => {
    const res = await fx.arm("DELETE", rg("rg-never"));
    expect(res.status).toBe(404);
    expect(armError(res).code).toBe("ResourceGroupNotFound");
  });

  it("lists groups, paging with $top and an absolute nextLink that is followed verbatim (item 56)", async () => {
    for (const n of ["page-a", "page-b", "page-c"]) await fx.createGroup(n);
    const all = (await fx.arm("GET", `/subscriptions/${fx.sub}/resourcegroups`)).json();
    expect(all.nextLink).toBeUndefined();
    const allNames = all.value.map((g: { name: string }) => g.name);
    expect(allNames).toEqual(expect.arrayContaining(["page-a", "page-b", "page-c"]));

    const seen: string[] = [];
    let page = (await fx.arm("GET", `/subscriptions/${fx.sub}/resourcegroups?$top=2`)).json();
    let pages = 1;
    while (true) {
      expect(page.value.length).toBeLessThanOrEqual(2);
      seen.push(...page.value.map((g: { name: string }) => g.name));
      if (!page.nextLink) break;
      expect(page.nextLink.startsWith(`${fx.emu.url}/subscriptions/${fx.sub}/resourcegroups?`)).toBe(true);
      expect(page.nextLink).toContain(`api-version=${RG_API}`);
      expect(page.nextLink).toMatch(/%24skipToken=|\$skipToken=/);
      page = (await fx.arm("GET", page.nextLink)).json();
      pages++;
    }
    expect(seen).toEqual(allNames);
    expect(pages).toBe(Math.ceil(allNames.length / 2));
  });

  it("filters the list by tag name and value", async () => {
    await fx.arm("PUT", rg("tagged-1"), { body: { location: "eastus", tags: { team: "data" } } });
    await fx.arm("PUT", rg("tagged-2"), { body: { location: "eastus", tags: { team: "web" } } });
    const byName = (
      await fx.arm(
        "GET",
        `/subscriptions/${fx.sub}/resourcegroups?$filter=${encodeURIComponent("tagName eq 'team'")}`,
      )
    ).json();
    expect(byName.value.map((g: { name: string }) => g.name)).toEqual(["tagged-1", "tagged-2"]);
    const byValue = (
      await fx.arm(
        "GET",
        `/subscriptions/${fx.sub}/resourcegroups?$filter=${encodeURIComponent("tagName eq 'team' and tagValue eq 'web'")}`,
      )
    ).json();
    expect(byValue.value.map((g: { name: string }) => g.name)).toEqual(["tagged-2"]);
    const unsupported = await fx.arm(
      "GET",
      `/subscriptions/${fx.sub}/resourcegroups?$filter=${encodeURIComponent("location eq 'eastus'")}`,
    );
    expect(unsupported.status).toBe(400);
  });

  it("answers any Data Lake call under a missing group with ResourceGroupNotFound (item 57)", async () => {
    for (const [method, path] of [
      ["GET", fx.accountPath("rg-ghost", "someaccount")],
      ["PUT", fx.accountPath("rg-ghost", "someaccount")],
      ["GET", `/subscriptions/${fx.sub}/resourceGroups/rg-ghost/providers/Microsoft.DataLakeStore/accounts`],
      ["GET", `${fx.accountPath("rg-ghost", "someaccount")}/firewallRules`],
    ] as const) {
      const res = await fx.arm(method, path, method === "PUT" ? { body: { location: "eastus2" } } : {});
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(armError(res).code).toBe("ResourceGroupNotFound");
    }
  });
});
