import { randomBytes } from "node:crypto";
import { ClientSecretCredential } from "@adlkit/auth";
import { type Cloud, emulatorCloud } from "@adlkit/core";
import type { ConnectionInfo } from "@adlkit/emulator";
import { type EmulatorFixture, readFixture } from "@adlkit/testkit";
import { inject } from "vitest";
import { createFsClient, type FsClient, type FsClientOptions } from "../src/index.js";

export interface TestContext {
  fixture: EmulatorFixture;
  cloud: Cloud;
  client: FsClient;
  /** This file's own directory in the shared account, so test files run in parallel. */
  root: string;
  makeClient(options?: Partial<FsClientOptions>): FsClient;
}

export const ACCOUNT = "testacct";

export function setup(prefix: string, options: Partial<FsClientOptions> = {}): TestContext {
  const fixture = readFixture(inject("emulatorConnectionFile"));
  return setupFor(fixture.connection, fixture.caPem, ACCOUNT, prefix, options, fixture);
}

export function setupFor(
  connection: ConnectionInfo,
  caPem: string,
  accountName: string,
  prefix: string,
  options: Partial<FsClientOptions> = {},
  fixture?: EmulatorFixture,
): TestContext {
  const cloud = emulatorCloud({ ...connection, caPem });
  const credential = new ClientSecretCredential(
    connection.tenantId,
    connection.clientId,
    connection.clientSecret,
    { cloud },
  );
  const makeClient = (extra: Partial<FsClientOptions> = {}) =>
    createFsClient({
      credential,
      accountName,
      cloud,
      retry: { limit: 4, baseDelayInMs: 20, maxDelayInMs: 2000 },
      ...options,
      ...extra,
    });
  return {
    fixture: fixture ?? { connection, connectionFile: "", caPem },
    cloud,
    client: makeClient(),
    root: `/${prefix}-${randomBytes(4).toString("hex")}`,
    makeClient,
  };
}

/** Deterministic pseudo-random bytes (fast, and the same for the same seed). */
export function bytes(length: number, seed = 1): Buffer {
  const out = Buffer.allocUnsafe(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out.writeUInt32LE(x >>> 0, i < length - 3 ? i : 0);
    if (i >= length - 3) for (let j = i; j < length; j++) out[j] = (x >>> (8 * (j - i))) & 0xff;
  }
  return out;
}

/** The emulator's admin API (journal, faults). */
export async function admin(
  connection: ConnectionInfo,
  caPem: string,
  method: string,
  route: string,
  body?: unknown,
): Promise<unknown> {
  const { Agent, request } = await import("undici");
  const dispatcher = new Agent({ connect: { ca: caPem } });
  try {
    const response = await request(`${connection.url}/_emulator/${route}`, {
      method: method as "GET",
      headers: {
        "x-adl-emulator-key": connection.adminKey,
        ...(body ? { "content-type": "application/json" } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
      dispatcher,
    });
    const text = await response.body.text();
    if (response.statusCode >= 400)
      throw new Error(`admin ${method} ${route} -> ${response.statusCode}: ${text}`);
    return text ? JSON.parse(text) : undefined;
  } finally {
    await dispatcher.close();
  }
}
