import { describe, expect, it } from "vitest";
import { ConflictError, InvalidArgumentError, ResourceNotFoundError } from "../src/index.js";
import { collect, setup, uniqueName } from "./helpers.js";

describe("resource groups", () => {
  const { client } = setup();

  it("creates, reads, checks, updates tags and lists a group", async () => {
    const name = uniqueName("rg-crud-");
    expect(await client.resourceGroups.exists(name)).toBe(false);
    const created = await client.resourceGroups.createOrUpdate(name, {
      location: "eastus",
      tags: { env: "test" },
    });
    expect(created).toMatchObject({
      name,
      type: "Microsoft.Resources/resourceGroups",
      location: "eastus",
      tags: { env: "test" },
    });
    expect(created.id).toBe(`/subscriptions/${client.subscriptionId}/resourceGroups/${name}`);
    expect(created.properties?.provisioningState).toBe("Succeeded");

    expect(await client.resourceGroups.exists(name)).toBe(true);
    expect((await client.resourceGroups.get(name)).tags).toEqual({ env: "test" });

    const again = await client.resourceGroups.createOrUpdate(name, {
      location: "eastus",
      tags: { env: "prod" },
    });
    expect(again.tags).toEqual({ env: "prod" });

    const updated = await client.resourceGroups.update(name, { tags: { owner: "me" } });
    expect(updated.tags).toEqual({ owner: "me" });
    expect((await client.resourceGroups.get(name)).tags).toEqual({ owner: "me" });

    const all = await collect(client.resourceGroups.list());
    expect(all.map((g) => g.name)).toContain(name);
    await client.resourceGroups.beginDeleteAndWait(name);
  });

  it("pages through groups with $top, resuming from a continuation token", async () => {
    const prefix = uniqueName("rg-page-");
    const names = Array.from({ length: 5 }, (_, i) => `${prefix}-${i}`);
    for (const name of names) await client.resourceGroups.createOrUpdate(name, { location: "westus" });

    const pages = await collect(client.resourceGroups.list({ top: 2 }).byPage());
    expect(pages.length).toBeGreaterThanOrEqual(3);
    for (const page of pages) expect(page.length).toBeLessThanOrEqual(2);
    expect(pages.at(-1)?.continuationToken).toBeUndefined();
    const listed = pages.flat().map((g) => g.name);
    for (const name of names) expect(listed).toContain(name);
    expect(new Set(listed).size).toBe(listed.length);

    const token = pages[0]?.continuationToken;
    expect(token).toMatch(/^https:\/\//);
    const rest = await collect(client.resourceGroups.list({ top: 2 }).byPage({ continuationToken: token }));
    expect(rest.flat().map((g) => g.name)).toEqual(
      pages
        .slice(1)
        .flat()
        .map((g) => g.name),
    );

    const items = await collect(client.resourceGroups.list({ top: 2 }));
    expect(items.map((g) => g.name)).toEqual(listed);
    await Promise.all(names.map((name) => client.resourceGroups.beginDeleteAndWait(name)));
  });

  it("reports a missing group as ResourceNotFoundError with ARM's code and message", async () => {
    const name = uniqueName("rg-missing-");
    const err = await client.resourceGroups.get(name).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResourceNotFoundError);
    expect(err).toMatchObject({
      status: 404,
      code: "ResourceGroupNotFound",
      operation: "resourceGroups.get",
    });
    expect((err as Error).message).toContain(
      `resourceGroups.get: GET /subscriptions/${client.subscriptionId}/resourcegroups/${name} failed with 404`,
    );
    expect((err as ResourceNotFoundError).armMessage).toContain(name);
    expect((err as ResourceNotFoundError).requestId).toBeTruthy();

    await expect(client.resourceGroups.update(name, { tags: {} })).rejects.toBeInstanceOf(
      ResourceNotFoundError,
    );
    await expect(client.resourceGroups.beginDeleteAndWait(name)).rejects.toMatchObject({
      status: 404,
      code: "ResourceGroupNotFound",
    });
  });

  it("refuses to move a group to another location with ConflictError", async () => {
    const name = uniqueName("rg-move-");
    await client.resourceGroups.createOrUpdate(name, { location: "eastus" });
    const err = await client.resourceGroups
      .createOrUpdate(name, { location: "westeurope" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as ConflictError).status).toBe(409);
    await client.resourceGroups.beginDeleteAndWait(name);
  });

  it("deletes as a long-running operation that reports progress, and cascades to its accounts", async () => {
    const name = uniqueName("rg-cascade-");
    const account = uniqueName("cascade");
    await client.resourceGroups.createOrUpdate(name, { location: "eastus2" });
    await client.accounts.beginCreateAndWait(name, account, { location: "eastus2" });

    const poller = client.resourceGroups.beginDelete(name);
    const states: string[] = [];
    poller.onProgress((state) => states.push(state.status));
    await poller.submitted();
    expect(poller.operationState.mode).toBe("ResourceLocation");
    expect(poller.operationState.status).toBe("running");
    await poller;
    expect(poller.isDone).toBe(true);
    expect(poller.operationState.status).toBe("succeeded");
    expect(poller.operationState.pollCount).toBeGreaterThanOrEqual(1);
    expect(states.at(-1)).toBe("succeeded");

    expect(await client.resourceGroups.exists(name)).toBe(false);
    const availability = await client.accounts.checkNameAvailability("eastus2", account);
    expect(availability.nameAvailable).toBe(true);
  });

  it("validates names and parameters before sending anything", async () => {
    const { client: fresh, credential } = setup();
    await expect(fresh.resourceGroups.get("bad/name")).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(fresh.resourceGroups.createOrUpdate("ok", {} as never)).rejects.toThrow(
      /parameters\.location is required/,
    );
    expect(() => fresh.resourceGroups.list({ top: 0 })).toThrow(/options\.top must be an integer >= 1/);
    expect(() => fresh.resourceGroups.beginDelete("trailing.")).toThrow(InvalidArgumentError);
    expect(credential.calls).toBe(0);
  });
});
