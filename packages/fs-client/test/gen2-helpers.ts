import { randomBytes } from "node:crypto";
import tls from "node:tls";
import { ClientSecretCredential } from "@adlkit/auth";
import { type Cloud, emulatorCloud, scopeForResource } from "@adlkit/core";
import { readFixture } from "@adlkit/testkit";
import { Agent, request } from "undici";
import { inject } from "vitest";
import { Gen2FsClient, type Gen2FsClientOptions } from "../src/index.js";

export interface Gen2Context {
  cloud: Cloud;
  credential: ClientSecretCredential;
  account: string;
  filesystem: string;
  /** The emulator's path-style DFS endpoint of the account, as the official SDKs take it. */
  endpoint: string;
  client: Gen2FsClient;
  makeClient(options?: Partial<Gen2FsClientOptions>): Gen2FsClient;
  /** The account's first key (Resource Manager's listKeys). */
  accountKey(): Promise<string>;
}

/**
 * A Gen2 storage account of its own on the shared emulator, made as a user makes one: through Resource Manager
 * (resource group, then the storage account with a hierarchical namespace, a long-running create), with a fresh
 * filesystem in it.
 */
export async function setupGen2(prefix: string): Promise<Gen2Context> {
  const { connection, caPem } = readFixture(inject("emulatorConnectionFile"));
  const cloud = emulatorCloud({ ...connection, caPem });
  const credential = new ClientSecretCredential(
    connection.tenantId,
    connection.clientId,
    connection.clientSecret,
    {
      cloud,
    },
  );
  // The official SDKs use Node's https: the emulator's CA joins the default list (what NODE_EXTRA_CA_CERTS does).
  tls.setDefaultCACertificates([...tls.getCACertificates("default"), caPem]);
  const account = `${prefix}${randomBytes(6).toString("hex")}`.slice(0, 24);
  const arm = await armClient(connection.url, caPem, credential, cloud);
  const sub = `/subscriptions/${connection.subscriptionId}`;
  await arm("PUT", `${sub}/resourcegroups/gen2-${account}?api-version=2021-04-01`, { location: "eastus" });
  const created = await arm(
    "PUT",
    `${sub}/resourceGroups/gen2-${account}/providers/Microsoft.Storage/storageAccounts/${account}?api-version=2023-01-01`,
    {
      location: "eastus",
      kind: "StorageV2",
      sku: { name: "Standard_LRS" },
      properties: { isHnsEnabled: true },
    },
  );
  if (created.status === 202) {
    for (let i = 0; ; i++) {
      const poll = await arm("GET", created.location as string);
      if (poll.status === 200) break;
      if (poll.status !== 202 || i > 50)
        throw new Error(`storage account ${account}: ${poll.status} ${poll.text}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const filesystem = `fs-${randomBytes(4).toString("hex")}`;
  const makeClient = (extra: Partial<Gen2FsClientOptions> = {}) =>
    new Gen2FsClient({
      credential,
      accountName: account,
      filesystem,
      cloud,
      retry: { limit: 4, baseDelayInMs: 20, maxDelayInMs: 2000 },
      ...extra,
    });
  const client = makeClient();
  await client.createFilesystem();
  return {
    cloud,
    credential,
    account,
    filesystem,
    endpoint: `https://127.0.0.1:${connection.port}/${account}`,
    client,
    makeClient,
    async accountKey() {
      const res = await arm(
        "POST",
        `${sub}/resourceGroups/gen2-${account}/providers/Microsoft.Storage/storageAccounts/${account}/listKeys?api-version=2023-01-01`,
      );
      return (JSON.parse(res.text) as { keys: Array<{ value: string }> }).keys[0]!.value;
    },
  };
}

async function armClient(base: string, caPem: string, credential: ClientSecretCredential, cloud: Cloud) {
  const dispatcher = new Agent({ connect: { ca: caPem } });
  return async (method: string, path: string, body?: unknown) => {
    const token = await credential.getToken(scopeForResource(cloud.resourceManagerAudience));
    const url = path.startsWith("https://") ? path : `${base}${path}`;
    const res = await request(url, {
      method: method as "GET",
      headers: {
        authorization: `Bearer ${token?.token}`,
        ...(body ? { "content-type": "application/json" } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
      dispatcher,
    });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new Error(`${method} ${path}: ${res.statusCode} ${text}`);
    return { status: res.statusCode, text, location: res.headers.location as string | undefined };
  };
}
