import { randomBytes } from "node:crypto";
import { ClientSecretCredential } from "@adlkit/auth";
import { type Cloud, emulatorCloud } from "@adlkit/core";
import { type EmulatorFixture, readFixture } from "@adlkit/testkit";
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { inject } from "vitest";
import { type ArmClient, type ArmClientOptions, createArmClient } from "../src/index.js";

export interface TestContext {
  fixture: EmulatorFixture;
  cloud: Cloud;
  credential: CountingCredential;
  client: ArmClient;
  /** A fresh client with extra options (same credential and cloud). */
  makeClient(options?: Partial<ArmClientOptions>): ArmClient;
}

/** Wraps a real credential and counts token requests (to show validation happens before any network call). */
export class CountingCredential implements TokenCredential {
  calls = 0;
  constructor(readonly inner: TokenCredential) {}
  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    this.calls++;
    return this.inner.getToken(scopes, options);
  }
}

/** The shared emulator, a real ClientSecretCredential for its tenant and an ARM client; fast polls. */
export function setup(options: Partial<ArmClientOptions> = {}): TestContext {
  const fixture = readFixture(inject("emulatorConnectionFile"));
  const { connection, caPem } = fixture;
  const cloud = emulatorCloud({ ...connection, caPem });
  const credential = new CountingCredential(
    new ClientSecretCredential(connection.tenantId, connection.clientId, connection.clientSecret, { cloud }),
  );
  const makeClient = (extra: Partial<ArmClientOptions> = {}) =>
    createArmClient({
      credential,
      subscriptionId: connection.subscriptionId,
      cloud,
      pollIntervalInMs: 50,
      ...options,
      ...extra,
    });
  return { fixture, cloud, credential, client: makeClient(), makeClient };
}

/** A unique, valid name: `{prefix}{random}`; account names need lowercase letters and digits only. */
export function uniqueName(prefix: string): string {
  return `${prefix}${randomBytes(5).toString("hex")}`;
}

/** Calls the emulator's admin API. */
export async function admin(
  fixture: EmulatorFixture,
  method: string,
  route: string,
  body?: unknown,
): Promise<unknown> {
  const { Agent, fetch } = await import("undici");
  const dispatcher = new Agent({ connect: { ca: fixture.caPem } });
  try {
    const response = await fetch(`${fixture.connection.url}/_emulator/${route}`, {
      method,
      headers: {
        "x-adl-emulator-key": fixture.connection.adminKey,
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      dispatcher,
    });
    if (!response.ok)
      throw new Error(`admin ${method} ${route} -> ${response.status}: ${await response.text()}`);
    const text = await response.text();
    return text ? JSON.parse(text) : undefined;
  } finally {
    await dispatcher.close();
  }
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}
