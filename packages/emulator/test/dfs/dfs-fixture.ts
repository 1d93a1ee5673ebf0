import { randomUUID } from "node:crypto";
import tls from "node:tls";
import { ClientSecretCredential } from "@azure/identity";
import { BlobServiceClient } from "@azure/storage-blob";
import { DataLakeServiceClient, type PathPermissions } from "@azure/storage-file-datalake";
import type { EmulatorConfig } from "../../src/options.js";
import { type ArmFixture, accountName, startArmFixture } from "../arm/arm-fixture.js";
import type { TestResponse } from "../helpers/test-emulator.js";

/**
 * A running emulator with one Gen2 storage account created through Resource Manager by the default app (its
 * owner, hence super-user), a second app of the same tenant with no rights (`other`), and the official
 * `@azure/storage-file-datalake` client for either, unchanged apart from endpoint, credential and CA: the
 * emulator's CA joins this process's default CA list (what NODE_EXTRA_CA_CERTS does for a child), and the
 * credential is `ClientSecretCredential` with the emulator as authority host.
 */
export interface DfsFixture {
  arm: ArmFixture;
  account: string;
  /** `https://127.0.0.1:PORT/{account}`: path style, which the SDKs detect from the IP address. */
  endpoint: string;
  owner: { objectId: string; client: DataLakeServiceClient };
  other: { objectId: string; client: DataLakeServiceClient };
  /** The `ClientSecretCredential` of the owner (or `other`'s), with the emulator as authority. */
  credential(who?: "owner" | "other"): ClientSecretCredential;
  /** `@azure/storage-blob`'s client for the account's path-style endpoint, as the owner (or `other`). */
  blob(who?: "owner" | "other"): BlobServiceClient;
  /** A storage-audience token of the owner (or `other`'s). */
  token(who?: "owner" | "other"): Promise<string>;
  /** A raw request to `{endpoint}{path}` with a bearer token and `x-ms-version`, unless overridden. */
  raw(
    method: string,
    path: string,
    options?: { headers?: Record<string, string>; body?: string | Buffer; as?: "owner" | "other" | null },
  ): Promise<TestResponse>;
  close(): Promise<void>;
}

export const STORAGE_VERSION = "2025-01-05";

/** `config`: settings of the emulator beyond the fixture's own (e.g. a short `uncommittedBlockLifetimeSeconds`). */
export async function startDfsFixture(
  prefix: string,
  config: Partial<EmulatorConfig> = {},
): Promise<DfsFixture> {
  const other = { clientId: randomUUID(), objectId: randomUUID(), secret: `secret-${randomUUID()}` };
  const arm = await startArmFixture({
    ...config,
    arm: { pageSize: 100, lroPolls: 1, retryAfterSeconds: 1 },
    applications: [{ clientId: other.clientId, objectId: other.objectId, secrets: [other.secret] }],
  });
  tls.setDefaultCACertificates([...tls.getCACertificates("default"), arm.emu.emulator.caPem]);
  await arm.createGroup("dfs");
  const account = accountName(prefix);
  await arm.createStorageAccount("dfs", account);
  const c = arm.emu.emulator.connection;
  const endpoint = `https://127.0.0.1:${arm.emu.emulator.port}/${account}`;
  const credential = (clientId: string, secret: string) =>
    new ClientSecretCredential(c.tenantId, clientId, secret, {
      authorityHost: c.url,
      disableInstanceDiscovery: true,
    });
  const ownerCredential = credential(c.clientId, c.clientSecret);
  const otherCredential = credential(other.clientId, other.secret);
  const tokens = new Map<string, string>();
  const fixture: DfsFixture = {
    arm,
    account,
    endpoint,
    owner: {
      objectId: arm.emu.emulator.services.identity.defaultApp.objectId,
      client: new DataLakeServiceClient(endpoint, ownerCredential),
    },
    other: { objectId: other.objectId, client: new DataLakeServiceClient(endpoint, otherCredential) },
    credential: (who = "owner") => (who === "owner" ? ownerCredential : otherCredential),
    blob: (who = "owner") => new BlobServiceClient(endpoint, fixture.credential(who)),
    async token(who = "owner") {
      let token = tokens.get(who);
      if (!token) {
        const cred = who === "owner" ? ownerCredential : otherCredential;
        token = (await cred.getToken("https://storage.azure.com/.default")).token;
        tokens.set(who, token);
      }
      return token;
    },
    async raw(method, path, options = {}) {
      const headers: Record<string, string> = { "x-ms-version": STORAGE_VERSION, ...options.headers };
      if (options.as !== null) headers.authorization = `Bearer ${await fixture.token(options.as ?? "owner")}`;
      return arm.emu.request(method, `${endpoint}${path}`, {
        headers,
        ...(options.body !== undefined ? { body: options.body } : {}),
      });
    },
    close: () => arm.close(),
  };
  return fixture;
}

/** The status and service error code of an SDK call that must fail (throws if it succeeds). */
export async function failureOf(
  promise: Promise<unknown>,
): Promise<{ status: number; code: string | undefined }> {
  try {
    await promise;
  } catch (err) {
    const e = err as { statusCode?: number; code?: string; details?: { errorCode?: string } };
    return { status: e.statusCode ?? 0, code: e.details?.errorCode ?? e.code };
  }
  throw new Error("expected the call to fail");
}

/** `setPermissions` input from a `rwxr-x---` string (no sticky bit, no extended ACL). */
export function permissionsOf(text: string): PathPermissions {
  const triple = (t: string) => ({ read: t[0] === "r", write: t[1] === "w", execute: t[2] === "x" });
  return {
    owner: triple(text.slice(0, 3)),
    group: triple(text.slice(3, 6)),
    other: triple(text.slice(6, 9)),
    stickyBit: false,
    extendedAcls: false,
  };
}
