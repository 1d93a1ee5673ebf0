import type { CaTrust } from "./http/dispatcher.js";

/**
 * Where a cloud's services live. Presets cover the public, China and US Government clouds; the emulator is
 * one more cloud, built from its `connection.json`.
 */
export interface Cloud {
  /** A short name for messages and config files: "public", "china", "usgov", "emulator". */
  name: string;
  /** Entra ID (Azure AD) authority host, e.g. `https://login.microsoftonline.com`. */
  authorityHost: string;
  /** Azure Resource Manager endpoint, e.g. `https://management.azure.com`. */
  resourceManagerEndpoint: string;
  /** Token audience (resource) for Resource Manager. */
  resourceManagerAudience: string;
  /** DNS suffix of Data Lake Store Gen1 filesystems (`{account}.{suffix}`); undefined where Gen1 never existed. */
  dataLakeDnsSuffix?: string;
  /** Token audience (resource) for the Data Lake filesystem. */
  dataLakeAudience?: string;
  /**
   * DNS suffix of storage accounts (Gen2): `{account}.dfs.{suffix}` and `{account}.blob.{suffix}`, e.g.
   * `core.windows.net`.
   */
  storageEndpointSuffix?: string;
  /** Token audience (resource) of the storage data plane (Gen2), `https://storage.azure.com/` in every cloud. */
  storageAudience?: string;
  /** A CA certificate (PEM) to trust for this cloud's endpoints: the emulator's local CA. */
  caPem?: string;
  /**
   * How `caPem` is trusted: `"extra"` (the default) besides the process's roots, or `"only"`: this cloud's
   * endpoints must then chain to `caPem` and to nothing else, and the process's root store is never built. The
   * emulator's cloud is `"only"`: every one of its endpoints carries a certificate of its own CA.
   */
  caTrust?: CaTrust;
  /** Address accounts as `https://{host}/{account}/webhdfs/v1` instead of `https://{account}.{suffix}` (emulator). */
  pathStyleFilesystemHost?: string;
}

export const publicCloud: Cloud = Object.freeze({
  name: "public",
  authorityHost: "https://login.microsoftonline.com",
  resourceManagerEndpoint: "https://management.azure.com",
  resourceManagerAudience: "https://management.core.windows.net/",
  dataLakeDnsSuffix: "azuredatalakestore.net",
  dataLakeAudience: "https://datalake.azure.net/",
  storageEndpointSuffix: "core.windows.net",
  storageAudience: "https://storage.azure.com/",
});

/** Azure China (21Vianet). Data Lake Store Gen1 was never offered there; ARM and identity work. */
export const chinaCloud: Cloud = Object.freeze({
  name: "china",
  authorityHost: "https://login.chinacloudapi.cn",
  resourceManagerEndpoint: "https://management.chinacloudapi.cn",
  resourceManagerAudience: "https://management.core.chinacloudapi.cn/",
  storageEndpointSuffix: "core.chinacloudapi.cn",
  storageAudience: "https://storage.azure.com/",
});

/** Azure US Government. Data Lake Store Gen1 was never offered there; ARM and identity work. */
export const usGovCloud: Cloud = Object.freeze({
  name: "usgov",
  authorityHost: "https://login.microsoftonline.us",
  resourceManagerEndpoint: "https://management.usgovcloudapi.net",
  resourceManagerAudience: "https://management.core.usgovcloudapi.net/",
  storageEndpointSuffix: "core.usgovcloudapi.net",
  storageAudience: "https://storage.azure.com/",
});

export const clouds = Object.freeze({ public: publicCloud, china: chinaCloud, usgov: usGovCloud });

/** The fields of the emulator's `connection.json` a cloud needs. */
export interface EmulatorConnection {
  url: string;
  dataLakeDnsSuffix: string;
  resourceManagerAudience?: string;
  dataLakeAudience?: string;
  /** Storage accounts (Gen2) answer at `{account}.dfs.{storageEndpointSuffix}`. */
  storageEndpointSuffix?: string;
  storageAudience?: string;
  /** PEM text of the emulator's CA; read from `caCertificatePath` by `emulatorCloudFromFile`. */
  caPem?: string;
}

/**
 * The emulator as a cloud. Accounts are addressed path-style on 127.0.0.1 by default, because
 * `*.localhost` names do not resolve on every machine. Its CA, when given, is the only one its endpoints are
 * trusted by (`caTrust: "only"`).
 */
export function emulatorCloud(connection: EmulatorConnection, options: { hostStyle?: boolean } = {}): Cloud {
  const url = new URL(connection.url);
  const cloud: Cloud = {
    name: "emulator",
    authorityHost: url.origin,
    resourceManagerEndpoint: url.origin,
    resourceManagerAudience: connection.resourceManagerAudience ?? "https://management.core.windows.net/",
    dataLakeDnsSuffix: connection.dataLakeDnsSuffix,
    dataLakeAudience: connection.dataLakeAudience ?? "https://datalake.azure.net/",
    storageEndpointSuffix: connection.storageEndpointSuffix ?? connection.dataLakeDnsSuffix,
    storageAudience: connection.storageAudience ?? "https://storage.azure.com/",
  };
  if (connection.caPem) {
    cloud.caPem = connection.caPem;
    cloud.caTrust = "only";
  }
  if (!options.hostStyle) cloud.pathStyleFilesystemHost = `127.0.0.1:${url.port || "443"}`;
  return cloud;
}

/** Reads the emulator's `connection.json` (and its CA file) into a cloud. */
export async function emulatorCloudFromFile(
  connectionFile: string,
  options: { hostStyle?: boolean } = {},
): Promise<Cloud> {
  const { readFile } = await import("node:fs/promises");
  const connection = JSON.parse(await readFile(connectionFile, "utf8")) as EmulatorConnection & {
    caCertificatePath: string;
  };
  const caPem = await readFile(connection.caCertificatePath, "utf8");
  return emulatorCloud({ ...connection, caPem }, options);
}

/** A cloud by preset name. */
export function cloudByName(name: string): Cloud {
  const cloud = (clouds as Record<string, Cloud>)[name.toLowerCase()];
  if (!cloud)
    throw new Error(
      `Unknown cloud '${name}': use one of ${Object.keys(clouds).join(", ")}, or an emulator connection.`,
    );
  return cloud;
}

/**
 * The `.default` scope of a resource, as Entra expects it: `https://datalake.azure.net/` becomes
 * `https://datalake.azure.net//.default` (the resource keeps its trailing slash).
 */
export function scopeForResource(resource: string): string {
  return `${resource}/.default`;
}

/**
 * The `.default` scope of the storage audience, as the storage SDKs ask for it: `https://storage.azure.com/.default`
 * (one slash; unlike Data Lake Gen1's resource, storage's is registered without the trailing slash).
 */
export function storageScope(audience: string): string {
  return `${audience.replace(/\/+$/, "")}/.default`;
}

/** The resource of a `.default` scope (inverse of `scopeForResource`). */
export function resourceFromScope(scope: string): string {
  return scope.endsWith("/.default") ? scope.slice(0, -"/.default".length) : scope;
}
