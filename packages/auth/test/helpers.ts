import { type Cloud, emulatorCloud } from "@adlkit/core";
import { type EmulatorFixture, readFixture } from "@adlkit/testkit";
import { createLocalJWKSet, decodeJwt, type JWTPayload, jwtVerify } from "jose";
import { Agent, fetch } from "undici";
import { inject } from "vitest";

export function fixture(): EmulatorFixture & { cloud: Cloud } {
  const fx = readFixture(inject("emulatorConnectionFile"));
  return { ...fx, cloud: emulatorCloud({ ...fx.connection, caPem: fx.caPem }) };
}

/** GET a JSON document from the emulator, trusting its CA. */
export async function getJson<T>(
  fx: EmulatorFixture,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: T }> {
  const dispatcher = new Agent({ connect: { ca: fx.caPem } });
  try {
    const res = await fetch(`${fx.connection.url}${path}`, { headers, dispatcher });
    return { status: res.status, body: (await res.json()) as T };
  } finally {
    await dispatcher.close();
  }
}

/** Verifies an access token against the emulator's published JWKS, as a resource server would. */
export async function verifyWithJwks(fx: EmulatorFixture, token: string): Promise<JWTPayload> {
  const { tenantId } = fx.connection;
  const { body } = await getJson<{ keys: never[] }>(fx, `/${tenantId}/discovery/v2.0/keys`);
  const { payload } = await jwtVerify(token, createLocalJWKSet(JSON.parse(JSON.stringify(body))), {
    algorithms: ["RS256"],
    issuer: `https://sts.windows.net/${tenantId}/`,
  });
  return payload;
}

export { decodeJwt };

/** Journal entries of the shared emulator (admin API). */
export async function journal(
  fx: EmulatorFixture,
): Promise<Array<{ op?: string; clientRequestId?: string; status: number; principal?: string }>> {
  const { body } = await getJson<{ entries: never[] }>(fx, "/_emulator/journal", {
    "x-adl-emulator-key": fx.connection.adminKey,
  });
  return body.entries;
}
