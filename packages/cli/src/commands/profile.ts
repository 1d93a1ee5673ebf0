import { stat } from "node:fs/promises";
import path from "node:path";
import {
  checkProfileName,
  configPath,
  getProfile,
  loadConfig,
  type Profile,
  updateConfig,
} from "../config/config-file.js";
import { checkCloud, connectionFileOf, SYSTEM_ASSIGNED } from "../config/settings.js";
import type { Context } from "../context.js";
import { readConnection } from "../create-context.js";
import { CliError, UsageError } from "../errors.js";
import type { Column, Result } from "../result.js";
import { forgetProfileTokens } from "./profile-logout.js";

export const MASK = "***";

/** A profile as shown to people and scripts: the secret is never included, only `***`. */
export interface ProfileView {
  name: string;
  current: boolean;
  cloud: string;
  tenantId: string | null;
  clientId: string | null;
  subscriptionId: string | null;
  account: string | null;
  /**
   * The host suffixes of the profile's cloud: Gen1 accounts at `ACCOUNT.{dataLake}`, Gen2 storage accounts at
   * `ACCOUNT.dfs.{storage}` (what the short `adl://` and `abfss://` locations expand to); null where the cloud has
   * none (no Gen1 outside the public cloud) or the emulator's connection.json cannot be read.
   */
  endpoints: { dataLake: string | null; storage: string | null };
  credential:
    | { type: "secret"; secret: typeof MASK }
    | { type: "certificate"; path: string }
    | { type: "managed-identity"; clientId: string | null }
    | { type: "emulator"; connectionFile: string }
    | { type: "none" };
}

/** The host suffixes of a profile's cloud: a preset's, or the emulator's from its connection.json. */
export async function endpointsOf(profile: Profile): Promise<ProfileView["endpoints"]> {
  if (profile.cloud === "emulator" || (!profile.cloud && profile.emulatorConnectionFile)) {
    if (!profile.emulatorConnectionFile) return { dataLake: null, storage: null };
    const connection = (await readConnection(profile.emulatorConnectionFile).catch(() => undefined)) as
      | { dataLakeDnsSuffix?: string; storageEndpointSuffix?: string }
      | undefined;
    return {
      dataLake: connection?.dataLakeDnsSuffix ?? null,
      storage: connection?.storageEndpointSuffix ?? connection?.dataLakeDnsSuffix ?? null,
    };
  }
  const { cloudByName } = await import("@adlkit/core");
  const cloud = cloudByName(profile.cloud ?? "public");
  return { dataLake: cloud.dataLakeDnsSuffix ?? null, storage: cloud.storageEndpointSuffix ?? null };
}

export function viewProfile(
  name: string,
  profile: Profile,
  current: string | undefined,
  endpoints: ProfileView["endpoints"],
): ProfileView {
  const credential: ProfileView["credential"] = profile.clientSecret
    ? { type: "secret", secret: MASK }
    : profile.certificate
      ? { type: "certificate", path: profile.certificate }
      : profile.managedIdentity
        ? {
            type: "managed-identity",
            clientId: profile.managedIdentity === SYSTEM_ASSIGNED ? null : profile.managedIdentity,
          }
        : profile.emulatorConnectionFile
          ? { type: "emulator", connectionFile: profile.emulatorConnectionFile }
          : { type: "none" };
  return {
    name,
    current: name === current,
    cloud: profile.cloud ?? "public",
    tenantId: profile.tenantId ?? null,
    clientId: profile.clientId ?? null,
    subscriptionId: profile.subscriptionId ?? null,
    account: profile.account ?? null,
    endpoints,
    credential,
  };
}

function describeCredential(c: ProfileView["credential"]): string {
  switch (c.type) {
    case "secret":
      return `secret ${MASK}`;
    case "certificate":
      return `certificate ${c.path}`;
    case "managed-identity":
      return c.clientId ? `managed identity ${c.clientId}` : "managed identity (system-assigned)";
    case "emulator":
      return `emulator ${c.connectionFile}`;
    default:
      return "-";
  }
}

/** `ACCOUNT.dfs.core.windows.net`, or "-" where the cloud has no such endpoint. */
function suffixText(suffix: string | null, service: string): string {
  return suffix ? `ACCOUNT.${service}${suffix}` : "-";
}

/** Fields an emulator profile reads from connection.json on every run show as "(emulator)". */
const orEmulator = (value: string | null, p: ProfileView) =>
  value ?? (p.credential.type === "emulator" ? "(emulator)" : null);

export const COLUMNS: Column<ProfileView>[] = [
  { header: "", get: (p) => (p.current ? "*" : " ") },
  { header: "NAME", get: (p) => p.name, style: (p) => (p.current ? "bold" : undefined) },
  { header: "CLOUD", get: (p) => p.cloud },
  { header: "TENANT", get: (p) => orEmulator(p.tenantId, p) },
  { header: "CLIENT ID", get: (p) => orEmulator(p.clientId, p) },
  { header: "SUBSCRIPTION", get: (p) => orEmulator(p.subscriptionId, p) },
  { header: "ACCOUNT", get: (p) => p.account },
  { header: "CREDENTIAL", get: (p) => describeCredential(p.credential) },
];

/** `adl profile add NAME`: from flags only (never from the environment), or from an emulator's connection.json. */
export async function add(
  options: { name: string; fromEmulator?: string; use?: boolean },
  ctx: Context,
): Promise<Result> {
  const name = checkProfileName(options.name);
  const g = ctx.globals;
  const profile: Profile = {};
  if (options.fromEmulator) {
    if (g.cloud && g.cloud !== "emulator")
      throw new UsageError(
        `--from-emulator makes an emulator profile; it cannot be combined with --cloud ${g.cloud}`,
      );
    const file = connectionFileOf(options.fromEmulator, ctx.cwd);
    const connection = await readConnection(file);
    if (!connection.url || !connection.caCertificatePath) {
      throw new CliError(`${file} is not an emulator connection file (no url or caCertificatePath)`, {
        code: "EMULATOR_CONNECTION_INVALID",
      });
    }
    profile.cloud = "emulator";
    profile.emulatorConnectionFile = file;
  } else {
    profile.cloud = checkCloud(g.cloud ?? "public", "--cloud");
    if (profile.cloud === "emulator") {
      if (!g.emulator)
        throw new UsageError("an emulator profile needs --from-emulator DIR (or --emulator DIR)");
      profile.emulatorConnectionFile = connectionFileOf(g.emulator, ctx.cwd);
      await readConnection(profile.emulatorConnectionFile);
    } else if (g.managedIdentity || g.managedIdentityClientId) {
      if (g.clientSecret || g.certificate)
        throw new UsageError(
          "--managed-identity signs in without a secret: drop --client-secret/--certificate",
        );
    } else {
      if (!g.tenant)
        throw new UsageError(
          "profile add needs --tenant (the Entra tenant id or domain)",
          "Or use --from-emulator DIR for the local emulator, or --managed-identity on an Azure host.",
        );
      if (!g.clientId) throw new UsageError("profile add needs --client-id (the service principal's app id)");
      if (!g.clientSecret && !g.certificate)
        throw new UsageError("profile add needs --client-secret or --certificate (or --managed-identity)");
    }
  }
  if (g.managedIdentity || g.managedIdentityClientId)
    profile.managedIdentity = g.managedIdentityClientId ?? SYSTEM_ASSIGNED;
  if (g.tenant) profile.tenantId = g.tenant;
  if (g.clientId) profile.clientId = g.clientId;
  if (g.clientSecret) profile.clientSecret = g.clientSecret;
  if (g.certificate) {
    const certificate = path.resolve(ctx.cwd, g.certificate);
    await stat(certificate).catch(() => {
      throw new CliError(`no certificate file at ${certificate}`, {
        code: "CERTIFICATE_MISSING",
        hint: "Pass the path of a PEM with the certificate and its private key.",
      });
    });
    profile.certificate = certificate;
  }
  if (g.subscription) profile.subscriptionId = g.subscription;
  if (g.account) profile.account = g.account;

  const {
    file,
    result: { replaced, current },
  } = await updateConfig(ctx.configDir, (config) => {
    const replaced = name in config.profiles;
    config.profiles[name] = profile;
    if (options.use || !config.current) config.current = name;
    return { replaced, current: config.current };
  });
  if (replaced) await forgetProfileTokens(ctx.configDir, name);
  return {
    kind: "record",
    data: viewProfile(name, profile, current, await endpointsOf(profile)) as unknown as Record<
      string,
      unknown
    >,
    fields: [
      { label: "name", get: (d) => d.name },
      { label: "current", get: (d) => d.current },
      { label: "cloud", get: (d) => d.cloud },
      { label: "tenant", get: (d) => orEmulator(d.tenantId as string | null, d as unknown as ProfileView) },
      {
        label: "client id",
        get: (d) => orEmulator(d.clientId as string | null, d as unknown as ProfileView),
      },
      {
        label: "subscription",
        get: (d) => orEmulator(d.subscriptionId as string | null, d as unknown as ProfileView),
      },
      { label: "account", get: (d) => d.account },
      { label: "Gen1 hosts", get: (d) => suffixText((d.endpoints as ProfileView["endpoints"]).dataLake, "") },
      {
        label: "Gen2 hosts",
        get: (d) => suffixText((d.endpoints as ProfileView["endpoints"]).storage, "dfs."),
      },
      { label: "credential", get: (d) => describeCredential(d.credential as ProfileView["credential"]) },
    ],
    // It echoes what was given; `adl profile list` shows it again.
    detail: true,
    message: `${replaced ? "Replaced" : "Saved"} profile ${name} in ${file} (readable by you only)${current === name ? "; it is the current profile" : ""}.`,
  };
}

export async function list(_options: Record<string, never>, ctx: Context): Promise<Result> {
  const config = await loadConfig(ctx.configDir);
  const views = await Promise.all(
    Object.entries(config.profiles)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(async ([name, profile]) => viewProfile(name, profile, config.current, await endpointsOf(profile))),
  );
  return {
    kind: "list",
    items: views,
    columns: COLUMNS as never,
    empty: `No profiles yet in ${configPath(ctx.configDir)}; add one with \`adl profile add NAME\`.`,
  } as Result;
}

export async function use(options: { name: string }, ctx: Context): Promise<Result> {
  await updateConfig(ctx.configDir, (config) => {
    getProfile(config, options.name);
    config.current = options.name;
  });
  return { kind: "message", message: `Now using profile ${options.name}.`, data: { current: options.name } };
}

export async function remove(options: { name: string }, ctx: Context): Promise<Result> {
  const {
    result: { wasCurrent, current },
  } = await updateConfig(ctx.configDir, (config) => {
    getProfile(config, options.name);
    delete config.profiles[options.name];
    const wasCurrent = config.current === options.name;
    if (wasCurrent) config.current = undefined;
    return { wasCurrent, current: config.current };
  });
  await forgetProfileTokens(ctx.configDir, options.name);
  return {
    kind: "message",
    message: `Removed profile ${options.name}.${wasCurrent ? " No profile is current now: `adl profile use NAME` picks one." : ""}`,
    data: { removed: options.name, current: current ?? null },
  };
}
