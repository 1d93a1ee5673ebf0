import { describe, expect, it } from "vitest";
import { type CliError, UsageError } from "../errors.js";
import type { ConfigFile } from "./config-file.js";
import {
  type GlobalOptions,
  requireAccount,
  requireCredential,
  requireSubscription,
  resolveSettings,
} from "./settings.js";

const none: GlobalOptions = { json: false, verbose: false, debug: false, color: true };
const config: ConfigFile = {
  version: 1,
  current: "work",
  profiles: {
    work: {
      cloud: "public",
      tenantId: "t-work",
      clientId: "c-work",
      clientSecret: "s-work",
      subscriptionId: "sub-work",
      account: "lake-work",
    },
    gov: {
      cloud: "usgov",
      tenantId: "t-gov",
      clientId: "c-gov",
      certificate: "/keys/gov.pem",
      subscriptionId: "sub-gov",
    },
    local: { cloud: "emulator", emulatorConnectionFile: "/emu/connection.json", account: "testacct" },
  },
};
const env = {
  AZURE_TENANT_ID: "t-env",
  AZURE_CLIENT_ID: "c-env",
  AZURE_CLIENT_SECRET: "s-env",
  AZURE_SUBSCRIPTION_ID: "sub-env",
  ADL_ACCOUNT: "lake-env",
};
const connection = { tenantId: "t-emu", clientId: "c-emu", clientSecret: "s-emu", subscriptionId: "sub-emu" };

type Case = {
  name: string;
  flags?: Partial<GlobalOptions>;
  env?: Record<string, string>;
  config?: ConfigFile;
  expected: Record<string, unknown>;
};

const cases: Case[] = [
  {
    name: "the current profile when nothing else is set",
    expected: {
      cloud: "public",
      tenantId: "t-work",
      clientSecret: "s-work",
      account: "lake-work",
      source: "profile work",
    },
  },
  {
    name: "the environment over the current profile",
    env,
    expected: {
      tenantId: "t-env",
      clientId: "c-env",
      clientSecret: "s-env",
      subscriptionId: "sub-env",
      account: "lake-env",
      source: "environment",
    },
  },
  {
    name: "only ADL_ACCOUNT from the environment",
    env: { ADL_ACCOUNT: "lake-env" },
    expected: { tenantId: "t-work", account: "lake-env" },
  },
  {
    name: "flags over everything",
    flags: { tenant: "t-flag", account: "lake-flag" },
    env,
    expected: { tenantId: "t-flag", clientId: "c-env", account: "lake-flag", source: "flags" },
  },
  {
    name: "--profile over the environment",
    flags: { profile: "gov" },
    env,
    expected: {
      cloud: "usgov",
      tenantId: "t-gov",
      certificate: "/keys/gov.pem",
      clientSecret: "s-env",
      profileName: "gov",
    },
  },
  {
    name: "ADL_PROFILE like --profile",
    env: { ADL_PROFILE: "gov" },
    expected: { cloud: "usgov", clientId: "c-gov" },
  },
  {
    name: "an emulator profile fills in from connection.json",
    flags: { profile: "local" },
    expected: {
      cloud: "emulator",
      tenantId: "t-emu",
      clientId: "c-emu",
      clientSecret: "s-emu",
      subscriptionId: "sub-emu",
      account: "testacct",
      emulatorConnectionFile: "/emu/connection.json",
    },
  },
  {
    name: "--emulator DIR implies the emulator cloud",
    flags: { emulator: "/other" },
    config: { version: 1, profiles: {} },
    expected: { cloud: "emulator", emulatorConnectionFile: "/other/connection.json", clientId: "c-emu" },
  },
  {
    name: "--certificate ignores a stored secret",
    flags: { certificate: "/k.pem" },
    expected: { certificate: "/k.pem", clientSecret: undefined },
  },
  { name: "--cloud is case-insensitive", flags: { cloud: "China" }, expected: { cloud: "china" } },
  {
    name: "--managed-identity over the current profile's secret",
    flags: { managedIdentity: true },
    expected: { managedIdentity: "system", source: "flags" },
  },
  {
    name: "--managed-identity-client-id names a user-assigned identity",
    flags: { managedIdentityClientId: "mi-1" },
    env,
    expected: { managedIdentity: "mi-1" },
  },
  {
    name: "ADL_MANAGED_IDENTITY=1 over the current profile's secret (the environment ranks higher)",
    env: { ADL_MANAGED_IDENTITY: "1" },
    expected: { managedIdentity: "system" },
  },
  {
    name: "ADL_MANAGED_IDENTITY next to AZURE_CLIENT_SECRET (same layer): the identity wins",
    env: { ...env, ADL_MANAGED_IDENTITY: "mi-2" },
    expected: { managedIdentity: "mi-2" },
  },
  {
    name: "ADL_MANAGED_IDENTITY=false is off",
    env: { ADL_MANAGED_IDENTITY: "false" },
    expected: { managedIdentity: undefined, clientSecret: "s-work" },
  },
  {
    name: "a managed-identity profile under a --profile with a secret: the secret wins",
    flags: { profile: "work" },
    config: { ...config, current: "mi", profiles: { ...config.profiles, mi: { managedIdentity: "system" } } },
    expected: { managedIdentity: undefined, clientSecret: "s-work" },
  },
  {
    name: "--client-secret turns a profile's managed identity off",
    flags: { clientSecret: "s-flag" },
    config: { version: 1, current: "mi", profiles: { mi: { managedIdentity: "system" } } },
    expected: { managedIdentity: undefined, clientSecret: "s-flag" },
  },
  {
    name: "no config and no environment: public cloud, nothing else",
    config: { version: 1, profiles: {} },
    expected: { cloud: "public", tenantId: undefined, clientId: undefined, source: "environment" },
  },
  {
    name: "connection.json is not used off the emulator cloud",
    flags: { cloud: "public" },
    config: { version: 1, profiles: {} },
    expected: { clientId: undefined },
  },
];

describe("resolveSettings", () => {
  it.each(cases)("$name", (c) => {
    const settings = resolveSettings({
      flags: { ...none, ...c.flags },
      env: c.env ?? {},
      config: c.config ?? config,
      connection,
      cwd: "/",
    });
    for (const [key, value] of Object.entries(c.expected))
      expect(settings[key as keyof typeof settings], key).toEqual(value);
  });

  it("names the unknown profile and lists the known ones (exit code 3)", () => {
    expect(() => resolveSettings({ flags: { ...none, profile: "nope" }, env: {}, config })).toThrow(
      /no profile named 'nope'/,
    );
    try {
      resolveSettings({ flags: { ...none, profile: "nope" }, env: {}, config });
    } catch (err) {
      expect((err as CliError).exitCode).toBe(3);
      expect((err as CliError).hint).toBe("Known profiles: work, gov, local.");
    }
  });

  it("rejects an unknown cloud in ADL_CLOUD as a usage error naming the variable", () => {
    expect(() =>
      resolveSettings({ flags: none, env: { ADL_CLOUD: "mars", AZURE_CLIENT_ID: "c" }, config }),
    ).toThrow(UsageError);
    expect(() =>
      resolveSettings({ flags: none, env: { ADL_CLOUD: "mars", AZURE_CLIENT_ID: "c" }, config }),
    ).toThrow(/ADL_CLOUD must be one of/);
  });
});

describe("required settings name both the flag and the variable", () => {
  const empty = resolveSettings({ flags: none, env: {}, config: { version: 1, profiles: {} } });
  it.each([
    [{}, /no tenant .*--tenant or set AZURE_TENANT_ID/],
    [{ tenantId: "t" }, /no client id .*--client-id or set AZURE_CLIENT_ID/],
    [
      { tenantId: "t", clientId: "c" },
      /--client-secret or --certificate or set AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH/,
    ],
  ])("credential %j", (partial, message) => {
    expect(() => requireCredential({ ...empty, ...partial })).toThrow(message);
  });

  it("a managed identity needs no tenant, client id or secret", () => {
    expect(requireCredential({ ...empty, managedIdentity: "system" })).toEqual({
      kind: "managed-identity",
      clientId: undefined,
    });
    expect(requireCredential({ ...empty, managedIdentity: "mi-1" })).toEqual({
      kind: "managed-identity",
      clientId: "mi-1",
    });
  });

  it("refuses --managed-identity together with --client-secret or --certificate", () => {
    for (const flags of [{ clientSecret: "s" }, { certificate: "/k.pem" }]) {
      expect(() =>
        resolveSettings({ flags: { ...none, managedIdentity: true, ...flags }, env: {}, config }),
      ).toThrow(UsageError);
    }
  });

  it("prefers the secret when both are there, else the certificate", () => {
    expect(
      requireCredential({ ...empty, tenantId: "t", clientId: "c", clientSecret: "s", certificate: "/k" }),
    ).toEqual({ kind: "secret", tenantId: "t", clientId: "c", clientSecret: "s" });
    expect(requireCredential({ ...empty, tenantId: "t", clientId: "c", certificate: "/k" })).toEqual({
      kind: "certificate",
      tenantId: "t",
      clientId: "c",
      certificatePath: "/k",
    });
  });

  it("subscription and account", () => {
    expect(() => requireSubscription(empty)).toThrow(/--subscription or set AZURE_SUBSCRIPTION_ID/);
    expect(() => requireAccount(empty)).toThrow(/--account or set ADL_ACCOUNT/);
    expect(requireAccount({ ...empty, account: "a" })).toBe("a");
  });
});
