import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { importPKCS8, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ARM_AUDIENCES, DATALAKE_AUDIENCES } from "../../src/audiences.js";
import { BearerTokenError } from "../../src/auth/verify-bearer.js";
import { startTestEmulator, type TestEmulator } from "../helpers/test-emulator.js";

describe("bearer token validation", () => {
  let emu: TestEmulator;
  let realKey: string;
  beforeAll(async () => {
    emu = await startTestEmulator();
    realKey = readFileSync(path.join(emu.dataDir, "identity", "token-signing-key.pem"), "utf8");
  });
  afterAll(() => emu.close());

  const verify = (token: string, audiences: readonly string[] = DATALAKE_AUDIENCES, tenantId?: string) =>
    emu.emulator.services.tokens.verify(token, { audiences, ...(tenantId ? { tenantId } : {}) });
  const reason = async (promise: Promise<unknown>) => {
    const err = await promise.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BearerTokenError);
    return (err as BearerTokenError).reason;
  };
  async function forge(
    claims: Record<string, unknown>,
    keyPem = realKey,
    header: Record<string, unknown> = {},
  ) {
    const c = emu.emulator.connection;
    const now = Math.floor(Date.now() / 1000);
    const body = {
      aud: "https://datalake.azure.net/",
      iss: `https://sts.windows.net/${c.tenantId}/`,
      tid: c.tenantId,
      oid: c.clientObjectId,
      appid: c.clientId,
      iat: now,
      nbf: now,
      exp: now + 600,
      ...claims,
    };
    return new SignJWT(body)
      .setProtectedHeader({ alg: "RS256", typ: "JWT", ...header })
      .sign(await importPKCS8(keyPem, "RS256"));
  }

  it("accepts a token it issued, for the right audience", async () => {
    const verified = await verify(await emu.token("https://datalake.azure.net/"));
    expect(verified.objectId).toBe(emu.emulator.connection.clientObjectId);
  });

  it("refuses the wrong audience", async () => {
    expect(await reason(verify(await emu.token("https://management.core.windows.net/")))).toBe("audience");
    expect(await reason(verify(await emu.token("https://datalake.azure.net/"), ARM_AUDIENCES))).toBe(
      "audience",
    );
  });

  it("refuses a token signed by another key", async () => {
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 })
      .privateKey.export({ type: "pkcs8", format: "pem" })
      .toString();
    expect(await reason(verify(await forge({}, other)))).toBe("signature");
  });

  it("refuses alg none and HS256", async () => {
    const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const claims = {
      aud: "https://datalake.azure.net/",
      tid: emu.emulator.connection.tenantId,
      exp: 9999999999,
    };
    expect(await reason(verify(`${enc({ alg: "none" })}.${enc(claims)}.`))).toBe("signature");
    const hs = await new SignJWT(claims)
      .setProtectedHeader({ alg: "HS256" })
      .sign(new TextEncoder().encode("k".repeat(32)));
    expect(await reason(verify(hs))).toBe("signature");
  });

  it("refuses expired and not-yet-valid tokens beyond the skew", async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await reason(verify(await forge({ exp: now - 3600, iat: now - 7200, nbf: now - 7200 })))).toBe(
      "expired",
    );
    expect(await reason(verify(await forge({ nbf: now + 3600, iat: now + 3600 })))).toBe("notYetValid");
  });

  it("refuses unknown tenants, wrong issuers and the wrong expected tenant", async () => {
    expect(await reason(verify(await forge({ tid: "99999999-9999-9999-9999-999999999999" })))).toBe("tenant");
    expect(await reason(verify(await forge({ iss: "https://evil.example/" })))).toBe("issuer");
    expect(
      await reason(
        verify(
          await emu.token("https://datalake.azure.net/"),
          DATALAKE_AUDIENCES,
          "99999999-9999-9999-9999-999999999999",
        ),
      ),
    ).toBe("tenant");
  });

  it("refuses garbage and a missing header", async () => {
    expect(await reason(verify("not-a-jwt"))).toBe("malformed");
    expect(
      await reason(emu.emulator.services.tokens.verifyHeader(undefined, { audiences: DATALAKE_AUDIENCES })),
    ).toBe("missing");
    expect(
      await reason(emu.emulator.services.tokens.verifyHeader("Basic abc", { audiences: DATALAKE_AUDIENCES })),
    ).toBe("missing");
  });

  it("still refuses a token once it expires, after it was accepted (and cached) while valid", async () => {
    const config = emu.emulator.services.config;
    const skew = config.clockSkewSeconds;
    config.clockSkewSeconds = 0;
    try {
      const now = Math.floor(Date.now() / 1000);
      const token = await forge({ iat: now - 10, nbf: now - 10, exp: now + 2 });
      await expect(verify(token)).resolves.toBeTruthy();
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      expect(await reason(verify(token))).toBe("expired");
    } finally {
      config.clockSkewSeconds = skew;
    }
  });

  it("checks the audience on every use of a cached token", async () => {
    const token = await emu.token("https://datalake.azure.net/");
    await expect(verify(token)).resolves.toBeTruthy();
    expect(await reason(verify(token, ARM_AUDIENCES))).toBe("audience");
  });
});
