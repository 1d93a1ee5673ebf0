import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { IdentityStore } from "./identity/identity-store.js";
import { thumbprints } from "./tls/certificates.js";

/** Everything a client needs to talk to a running emulator; written to DIR/connection.json on every start. */
export interface ConnectionInfo {
  /** Base URL of the one HTTPS server that plays Entra ID, Resource Manager and the filesystem. */
  url: string;
  port: number;
  tenantId: string;
  tenantDomain: string;
  clientId: string;
  clientSecret: string;
  clientObjectId: string;
  clientCertificatePath: string;
  clientPrivateKeyPath: string;
  /** Hex SHA-256 thumbprint of the client certificate (msal-node `thumbprintSha256`). */
  clientCertificateThumbprintSha256: string;
  /** Hex SHA-1 thumbprint (adal, msal-node's deprecated `thumbprint`). */
  clientCertificateThumbprintSha1: string;
  subscriptionId: string;
  authorityHost: string;
  resourceManagerEndpoint: string;
  resourceManagerAudience: string;
  /** Host-style accounts live at `https://{account}.{dataLakeDnsSuffix}`. */
  dataLakeDnsSuffix: string;
  dataLakeAudience: string;
  /** Path-style account URL template, for machines where `*.localhost` does not resolve. */
  pathStyleFilesystemUrl: string;
  /**
   * Storage accounts (Gen2) answer at `https://{account}.dfs.{storageEndpointSuffix}/` and
   * `https://{account}.blob.{storageEndpointSuffix}/` (Azure's is `core.windows.net`).
   */
  storageEndpointSuffix: string;
  /** Token audience of the Gen2 data plane (scope `https://storage.azure.com/.default`). */
  storageAudience: string;
  caCertificatePath: string;
  managedIdentity: {
    /** App Service style: set IDENTITY_ENDPOINT and IDENTITY_HEADER to these. */
    endpoint: string;
    header: string;
    clientId: string;
    objectId: string;
  };
  /** Key for the `/_emulator` admin API (journal, faults, settings), sent as `x-adl-emulator-key`. */
  adminKey: string;
}

export function buildConnectionInfo(args: {
  port: number;
  identity: IdentityStore;
  caPath: string;
  adminKey: string;
  dnsSuffix?: string | undefined;
}): ConnectionInfo {
  const { port, identity } = args;
  const url = `https://localhost:${port}`;
  const cert = thumbprints(readFileSync(identity.files.appCertificatePath, "utf8"));
  return {
    url,
    port,
    tenantId: identity.defaultTenant.id,
    tenantDomain: identity.defaultTenant.domains[0] ?? identity.defaultTenant.id,
    clientId: identity.defaultApp.clientId,
    clientSecret: identity.defaultAppSecret,
    clientObjectId: identity.defaultApp.objectId,
    clientCertificatePath: identity.files.appCertificatePath,
    clientPrivateKeyPath: identity.files.appPrivateKeyPath,
    clientCertificateThumbprintSha256: cert.sha256Hex,
    clientCertificateThumbprintSha1: cert.sha1Hex,
    subscriptionId: identity.defaultSubscription.id,
    authorityHost: url,
    resourceManagerEndpoint: `${url}/`,
    resourceManagerAudience: "https://management.core.windows.net/",
    dataLakeDnsSuffix: args.dnsSuffix ?? `localhost:${port}`,
    dataLakeAudience: "https://datalake.azure.net/",
    pathStyleFilesystemUrl: `https://127.0.0.1:${port}/{account}/webhdfs/v1`,
    // One suffix for both generations, as the endpoints in storage accounts' primaryEndpoints use.
    storageEndpointSuffix: args.dnsSuffix ?? `localhost:${port}`,
    storageAudience: "https://storage.azure.com/",
    caCertificatePath: args.caPath,
    managedIdentity: {
      endpoint: `${url}/msi/token`,
      header: identity.managedIdentity.header,
      clientId: identity.managedIdentity.clientId,
      objectId: identity.managedIdentity.objectId,
    },
    adminKey: args.adminKey,
  };
}

export function writeConnectionFile(dataDir: string, info: ConnectionInfo): string {
  const file = path.join(dataDir, "connection.json");
  // It holds the client secret and admin key: owner-only, like any credentials file.
  writeFileSync(file, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}

/**
 * The connection string of a Gen2 storage account, as the portal and `az storage account show-connection-string`
 * give it, for `BlobServiceClient.fromConnectionString` / `DataLakeServiceClient.fromConnectionString` (JS) and
 * `from_connection_string` (Python). Path style on 127.0.0.1, which resolves everywhere and which the SDKs read
 * as an account-in-the-path URL. It holds the account key: print it only where the user asked for it.
 */
export function storageConnectionString(
  account: { name: string; keys: { key1: string } },
  port: number,
): string {
  const endpoint = `https://127.0.0.1:${port}/${account.name}`;
  return [
    "DefaultEndpointsProtocol=https",
    `AccountName=${account.name}`,
    `AccountKey=${account.keys.key1}`,
    `BlobEndpoint=${endpoint}`,
    `DfsEndpoint=${endpoint}`,
  ].join(";");
}
