import { randomBytes } from "node:crypto";
import { request } from "node:https";
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

/** Calls the emulator's admin API (plain node:https, trusting the emulator's CA). */
export function admin(
  fixture: EmulatorFixture,
  method: string,
  route: string,
  body?: unknown,
): Promise<unknown> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      `${fixture.connection.url}/_emulator/${route}`,
      {
        method,
        ca: fixture.caPem,
        headers: {
          "x-adl-emulator-key": fixture.connection.adminKey,
          ...(payload ? { "content-type": "application/json" } : {}),
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          text += chunk;
        });
        res.on("end", () => {
          const status = res.statusCode ?? 0;
          if (status >= 300) reject(new Error(`admin ${method} ${route} -> ${status}: ${text}`));
          else resolve(text ? JSON.parse(text) : undefined);
        });
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}
