import { sharedEmulator } from "@adlkit/testkit";
import { describe, expect, it } from "vitest";
import { json, runAdl } from "../helpers.js";
import { emulatorEnv, unique } from "./env.js";

/**
 * `--managed-identity` against the emulator's App Service-style identity endpoint: msal-node finds it through
 * IDENTITY_ENDPOINT and IDENTITY_HEADER, exactly as on an App Service or Functions host.
 */
describe("adl with the host's managed identity", () => {
  const { connection } = sharedEmulator();
  const mi = connection.managedIdentity;
  const env = emulatorEnv({ IDENTITY_ENDPOINT: mi.endpoint, IDENTITY_HEADER: mi.header });
  const adl = (...args: string[]) => runAdl(args, { env });

  it("signs in as the system-assigned identity (flag or ADL_MANAGED_IDENTITY) and never prints its header", async () => {
    const rg = unique("rg-mi-");
    const created = await adl(
      "--managed-identity",
      "group",
      "create",
      rg,
      "-l",
      "eastus2",
      "--json",
      "--debug",
    );
    expect(created.code, created.stderr).toBe(0);
    expect(json<{ name: string }>(created).name).toBe(rg);
    expect(created.stderr).toContain("[Managed Identity]"); // msal-node's own log line: the identity path was taken
    expect(created.stderr).not.toContain("ClientSecretCredential");
    expect(created.stdout + created.stderr).not.toContain(mi.header);
    const listed = await runAdl(["group", "list", "--json"], { env: { ...env, ADL_MANAGED_IDENTITY: "1" } });
    expect(listed.code, listed.stderr).toBe(0);
    expect(json<Array<{ name: string }>>(listed).map((g) => g.name)).toContain(rg);
    expect((await adl("--managed-identity", "group", "delete", rg, "--yes")).code).toBe(0);
  });

  it("signs in as a user-assigned identity by client id, and names an unknown one", async () => {
    const ok = await adl("--managed-identity-client-id", mi.clientId, "group", "list", "--json");
    expect(ok.code, ok.stderr).toBe(0);
    const unknown = await adl(
      "--managed-identity-client-id",
      "00000000-0000-0000-0000-00000000beef",
      "group",
      "list",
    );
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("no managed identity with id '00000000-0000-0000-0000-00000000beef'");
    expect(unknown.stderr).toMatch(/Hint: Check that the identity exists on this host/);
  });

  it("refuses --managed-identity with --client-secret as a usage error (exit 2)", async () => {
    const both = await adl("--managed-identity", "--client-secret", "s", "group", "list");
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("--managed-identity signs in without a secret");
  });

  it("stores a managed identity in a profile (shown, never a secret) and uses it", async () => {
    const home = emulatorEnv({ IDENTITY_ENDPOINT: mi.endpoint, IDENTITY_HEADER: mi.header });
    const run = (...args: string[]) => runAdl(args, { env: home });
    const dir = connection.caCertificatePath.replace(/\/tls\/[^/]+$/, "");
    const added = await run("profile", "add", "host", "--from-emulator", dir, "--managed-identity", "--use");
    expect(added.code, added.stderr).toBe(0);
    const profiles = json<Array<{ name: string; credential: unknown }>>(
      await run("profile", "list", "--json"),
    );
    expect(profiles.find((p) => p.name === "host")?.credential).toEqual({
      type: "managed-identity",
      clientId: null,
    });
    const listed = await run("group", "list", "--json", "--debug");
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stderr).toContain("[Managed Identity]");
  });
});
