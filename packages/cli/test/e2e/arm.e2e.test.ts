import { describe, expect, it } from "vitest";
import { json, runAdl } from "../helpers.js";
import { emulatorEnv, unique } from "./env.js";

interface Group {
  name: string;
  location: string;
  tags?: Record<string, string>;
  properties?: { provisioningState?: string };
}
interface Account {
  name: string;
  location: string;
  properties: { provisioningState?: string; endpoint?: string; currentTier?: string; firewallState?: string };
}

describe("adl group, account, firewall, vnet-rule, trusted-idp against the emulator", () => {
  const env = emulatorEnv();
  const adl = (...args: string[]) => runAdl(args, { env });

  it("creates, shows, lists and deletes a resource group", async () => {
    const rg = unique("rg-");
    const created = await adl("group", "create", rg, "-l", "eastus2", "--tag", "env=test", "--json");
    expect(created.code).toBe(0);
    expect(json<Group>(created)).toMatchObject({
      name: rg,
      location: "eastus2",
      tags: { env: "test" },
      properties: { provisioningState: "Succeeded" },
    });

    const human = await adl("group", "show", rg);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(
      new RegExp(`^name: +${rg}\\nlocation: +eastus2\\nstate: +Succeeded\\ntags: +env=test\\n`),
    );

    const listed = await adl("group", "list", "--json");
    expect(listed.code).toBe(0);
    expect(json<Group[]>(listed).map((g) => g.name)).toContain(rg);
    const table = await adl("group", "list");
    expect(table.stdout.split("\n")[0]).toMatch(/^NAME +LOCATION +STATE +TAGS$/);

    const refused = await adl("group", "delete", rg);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/pass --yes to confirm/);

    const deleted = await adl("group", "delete", rg, "--yes", "--json");
    expect(deleted.code).toBe(0);
    expect(json(deleted)).toEqual({ name: rg, status: "deleted" });
    expect((await adl("group", "show", rg)).code).toBe(3);
  });

  it("runs an account's life cycle, with --no-wait and waiting", async () => {
    const rg = unique("rg-");
    const name = unique("lake");
    const other = unique("lake");
    expect((await adl("group", "create", rg, "-l", "eastus2")).code).toBe(0);

    const free = await adl("account", "check-name", name, "-l", "eastus2", "--json");
    expect(json(free)).toEqual({ name, nameAvailable: true, reason: null, message: null });

    const accepted = await adl("account", "create", other, "-g", rg, "-l", "eastus2", "--no-wait", "--json");
    expect(accepted.code).toBe(0);
    const acceptedBody = json<{ name: string; status: string }>(accepted);
    expect(acceptedBody.name).toBe(other);
    expect(["running", "succeeded"]).toContain(acceptedBody.status);

    const created = await adl(
      "account",
      "create",
      name,
      "-g",
      rg,
      "-l",
      "eastus2",
      "--tag",
      "team=data",
      "--json",
    );
    expect(created.code).toBe(0);
    expect(json<Account>(created)).toMatchObject({
      name,
      location: "eastus2",
      properties: { provisioningState: "Succeeded" },
    });

    const taken = await adl("account", "check-name", name, "-l", "eastus2");
    expect(taken.stdout).toMatch(/available: +no/);

    const shown = await adl("account", "show", name, "-g", rg);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(new RegExp(`resource group: +${rg}`));
    expect(shown.stdout).toMatch(/endpoint: +\S+/);

    const listed = await adl("account", "list", "-g", rg, "--json");
    expect(
      json<Account[]>(listed)
        .map((a) => a.name)
        .sort(),
    ).toEqual([name, other].sort());

    const updated = await adl(
      "account",
      "update",
      name,
      "-g",
      rg,
      "--firewall-state",
      "Enabled",
      "--tier",
      "Commitment_1TB",
      "--json",
    );
    expect(updated.code).toBe(0);
    expect(json<Account>(updated).properties.firewallState).toBe("Enabled");
    expect((await adl("account", "update", name, "-g", rg)).code).toBe(2);

    // Firewall rules, virtual network rules and trusted identity providers, on the account (-a).
    const fw = await adl(
      "firewall",
      "create",
      "office",
      "-g",
      rg,
      "-a",
      name,
      "--start-ip",
      "10.0.0.1",
      "--end-ip",
      "10.0.0.9",
      "--json",
    );
    expect(fw.code).toBe(0);
    expect(json(fw)).toMatchObject({
      name: "office",
      properties: { startIpAddress: "10.0.0.1", endIpAddress: "10.0.0.9" },
    });
    const fwUpdated = await adl(
      "firewall",
      "update",
      "office",
      "-g",
      rg,
      "-a",
      name,
      "--end-ip",
      "10.0.0.99",
      "--json",
    );
    expect(json(fwUpdated)).toMatchObject({
      properties: { startIpAddress: "10.0.0.1", endIpAddress: "10.0.0.99" },
    });
    const fwList = await adl("firewall", "list", "-g", rg, "-a", name);
    expect(fwList.stdout).toMatch(
      /^NAME +START IP ADDRESS +END IP ADDRESS\noffice +10\.0\.0\.1 +10\.0\.0\.99\n$/,
    );
    expect((await adl("firewall", "show", "office", "-g", rg, "-a", name)).stdout).toMatch(
      /endIpAddress: +10\.0\.0\.99/,
    );
    expect((await adl("firewall", "delete", "office", "-g", rg, "-a", name)).code).toBe(0);
    expect((await adl("firewall", "delete", "office", "-g", rg, "-a", name)).code).toBe(3);
    expect(
      (await adl("firewall", "create", "office", "-g", rg, "-a", name, "--start-ip", "10.0.0.1")).code,
    ).toBe(2);

    const subnet = `/subscriptions/${"0".repeat(8)}-0000-0000-0000-${"0".repeat(12)}/resourceGroups/${rg}/providers/Microsoft.Network/virtualNetworks/vnet1/subnets/default`;
    const vnet = await adl(
      "vnet-rule",
      "create",
      "vnet1",
      "-g",
      rg,
      "-a",
      name,
      "--subnet-id",
      subnet,
      "--json",
    );
    expect(vnet.code).toBe(0);
    expect(json(vnet)).toMatchObject({ name: "vnet1", properties: { subnetId: subnet } });
    expect(json<unknown[]>(await adl("vnet-rule", "list", "-g", rg, "-a", name, "--json"))).toHaveLength(1);
    expect((await adl("vnet-rule", "delete", "vnet1", "-g", rg, "-a", name)).code).toBe(0);

    const issuer = "https://sts.windows.net/11111111-1111-1111-1111-111111111111/";
    const idp = await adl(
      "trusted-idp",
      "create",
      "partner",
      "-g",
      rg,
      "-a",
      name,
      "--id-provider",
      issuer,
      "--json",
    );
    expect(json(idp)).toMatchObject({ name: "partner", properties: { idProvider: issuer } });
    expect((await adl("trusted-idp", "show", "partner", "-g", rg, "-a", name)).stdout).toContain(issuer);
    expect((await adl("trusted-idp", "delete", "partner", "-g", rg, "-a", name, "--json")).code).toBe(0);

    const deleted = await adl("account", "delete", name, "-g", rg, "--yes", "--json");
    expect(deleted.code).toBe(0);
    expect(json(deleted)).toMatchObject({ name, status: "deleted" });
    expect((await adl("account", "show", name, "-g", rg)).code).toBe(3);
    expect((await adl("account", "delete", name, "-g", rg, "--yes")).code).toBe(3);
    expect((await adl("group", "delete", rg, "--yes", "--no-wait")).code).toBe(0);
  });
});
