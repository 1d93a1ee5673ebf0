import { inspect } from "node:util";
import { ClientSecretCredential } from "@adlkit/auth";
import { findSecrets, knownSecrets } from "@adlkit/testkit";
import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { describe, expect, it } from "vitest";
import { AuthenticationFailedError, createArmClient } from "../src/index.js";
import { setup } from "./helpers.js";

/** Gets real emulator tokens, but for another audience than the one asked for. */
class WrongAudienceCredential implements TokenCredential {
  calls = 0;
  constructor(private readonly inner: TokenCredential) {}
  getToken(): Promise<AccessToken | null> {
    this.calls++;
    return this.inner.getToken("https://datalake.azure.net//.default");
  }
}

/** Hands out a token that is not a JWT at all. */
class GarbageCredential implements TokenCredential {
  calls = 0;
  async getToken(): Promise<AccessToken> {
    this.calls++;
    return { token: `not-a-jwt-${this.calls}`, expiresOnTimestamp: Date.now() + 3_600_000 };
  }
}

describe("authentication failures", () => {
  const { fixture, cloud } = setup();
  const { connection } = fixture;
  const secrets = knownSecrets(connection);
  const real = new ClientSecretCredential(connection.tenantId, connection.clientId, connection.clientSecret, {
    cloud,
  });

  function expectNoSecrets(err: unknown): void {
    const text = [
      String(err),
      (err as Error).message,
      (err as AuthenticationFailedError).hint,
      inspect(err),
      JSON.stringify(err),
      (err as Error).stack,
    ].join("\n");
    expect(findSecrets(text, secrets)).toEqual([]);
  }

  it("a token for the wrong audience: AuthenticationFailedError naming the audience, after one fresh-token retry", async () => {
    const credential = new WrongAudienceCredential(real);
    const client = createArmClient({ credential, subscriptionId: connection.subscriptionId, cloud });
    const err = await client.resourceGroups
      .list()
      .next()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationFailedError);
    expect(err).toMatchObject({
      status: 401,
      code: "InvalidAuthenticationTokenAudience",
      operation: "resourceGroups.list",
    });
    const hint = (err as AuthenticationFailedError).hint ?? "";
    expect(hint).toContain("audience 'https://datalake.azure.net/'");
    expect(hint).toContain(`tenant '${connection.tenantId}'`);
    expect(hint).toContain(`app '${connection.clientId}'`);
    expect(hint).toMatch(/expiring \d{4}-\d\d-\d\dT/);
    expect(hint).toContain(`expects audience '${cloud.resourceManagerAudience}'`);
    expect(credential.calls).toBe(2);
    expectNoSecrets(err);
    await client.close();
  });

  it("a token that is not a JWT: InvalidAuthenticationToken with a hint that says so", async () => {
    const credential = new GarbageCredential();
    const client = createArmClient({ credential, subscriptionId: connection.subscriptionId, cloud });
    const err = await client.subscriptions.get().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationFailedError);
    expect((err as AuthenticationFailedError).code).toBe("InvalidAuthenticationToken");
    expect((err as AuthenticationFailedError).hint).toMatch(/not a JWT/);
    expect((err as Error).message).not.toContain("not-a-jwt");
    expect((err as AuthenticationFailedError).hint).not.toContain("not-a-jwt");
    expect(credential.calls).toBe(2);
    await client.close();
  });

  it("a credential that fails: its error reaches the caller unchanged, with no secret in it", async () => {
    const bad = new ClientSecretCredential(connection.tenantId, connection.clientId, "wrong-secret-value", {
      cloud,
    });
    const client = createArmClient({ credential: bad, subscriptionId: connection.subscriptionId, cloud });
    const err = await client.subscriptions.get().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(AuthenticationFailedError.isInstance(err)).toBe(false);
    expect((err as Error).message).toMatch(/AADSTS7000215/);
    expectNoSecrets(err);
    await client.close();
  });

  it("the real credential works, and errors it meets carry no token", async () => {
    const client = createArmClient({ credential: real, subscriptionId: connection.subscriptionId, cloud });
    expect((await client.subscriptions.get()).subscriptionId).toBe(connection.subscriptionId);
    const err = await client.resourceGroups.get("rg-that-does-not-exist").catch((e: unknown) => e);
    expectNoSecrets(err);
    await client.close();
  });

  it("an unknown subscription: ResourceNotFoundError SubscriptionNotFound with a hint", async () => {
    const client = createArmClient({
      credential: real,
      subscriptionId: "00000000-0000-0000-0000-00000000abcd",
      cloud,
    });
    const err = await client.subscriptions.get().catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 404, code: "SubscriptionNotFound" });
    expect((err as AuthenticationFailedError).hint).toMatch(/subscriptionId/);
    await client.close();
  });
});
