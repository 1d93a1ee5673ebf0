import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { emulatorCloud } from "@adlkit/core";
import { type RunningEmulator, startEmulator } from "@adlkit/emulator";
import { findSecrets, knownSecrets } from "@adlkit/testkit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  ClientCertificateCredential,
  ClientSecretCredential,
  type CredentialOptions,
  clearTokenCache,
  type TokenCacheOptions,
} from "../src/index.js";
import { decodeJwt } from "./helpers.js";

const SCOPE = "https://datalake.azure.net//.default";
const ARM = "https://management.azure.com/.default";

/**
 * The file cache as separate processes see it: every credential here is a new object (a new msal-node application,
 * an empty memory cache), so a token it does not ask for came from the file. A private emulator, so the journal
 * counts only this file's requests.
 */
describe("persistent token cache", () => {
  let emulator: RunningEmulator;
  let dataDir: string;
  let directory: string;
  let warnings: string[];
  const ops = () => emulator.services.journal.entries(() => true).map((e) => e.op ?? e.path);
  const tokenRequests = () => ops().filter((op) => op === "token-v2").length;
  const cacheOptions = (extra: Partial<TokenCacheOptions> = {}): TokenCacheOptions => ({
    directory,
    onWarning: (m) => warnings.push(m),
    ...extra,
  });
  const options = (extra: Partial<TokenCacheOptions> = {}): CredentialOptions => ({
    cloud: emulatorCloud({ ...emulator.connection, caPem: emulator.caPem }),
    tokenCache: cacheOptions(extra),
  });
  const credential = (extra: Partial<TokenCacheOptions> = {}) => {
    const c = emulator.connection;
    return new ClientSecretCredential(c.tenantId, c.clientId, c.clientSecret, options(extra));
  };
  /** The one cache file of a partition. */
  const fileOf = (partition = "default") => {
    const files = readdirSync(path.join(directory, partition));
    expect(files).toHaveLength(1);
    return path.join(directory, partition, files[0]!);
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "adlkit-auth-file-cache-"));
    emulator = await startEmulator({ port: 0, dataDir: path.join(dataDir, "emulator") });
  });
  afterAll(async () => {
    await emulator.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    emulator.services.config.tokenLifetimeSeconds = 3600;
    // The emulator journals a request when its response has finished, which can come after the client has it:
    // let the previous test's last entry land before clearing, and poll counts (expect.poll) below.
    await new Promise((resolve) => setTimeout(resolve, 50));
    emulator.services.journal.clear();
    directory = mkdtempSync(path.join(dataDir, "cache-"));
    warnings = [];
  });

  it("serves a second credential from the file: no token request, no discovery at all", async () => {
    const first = await credential().getToken(SCOPE);
    const second = await credential().getToken(SCOPE);
    expect(second.token).toBe(first.token);
    // Only the token request of the first: the discovery documents were built offline.
    await expect.poll(ops).toEqual(["token-v2"]);
    expect(warnings).toEqual([]);
  });

  it("serves a cached token in a new process without loading msal-node, and loads it to renew", async () => {
    // A new process as the CLI is one, on the built package: it records every module it resolves. (Not a
    // synchronous spawn: the emulator answering it runs in this process.)
    const child = async () => {
      const script = `
        import { registerHooks } from "node:module";
        const seen = [];
        registerHooks({ resolve: (specifier, context, next) => { seen.push(specifier); return next(specifier, context); } });
        const { ClientSecretCredential, emulatorCloud } = await import(${JSON.stringify(new URL("../dist/index.js", import.meta.url).href)});
        const c = JSON.parse(process.env.CONNECTION);
        const credential = new ClientSecretCredential(c.tenantId, c.clientId, process.env.SECRET, {
          cloud: emulatorCloud({ ...c, caPem: process.env.CA_PEM }),
          tokenCache: { directory: process.env.CACHE_DIR },
        });
        const { token } = await credential.getToken(${JSON.stringify(SCOPE)});
        process.stdout.write(JSON.stringify({ token, msal: seen.some((s) => s.includes("msal-node")) }));`;
      const { clientSecret, ...connection } = emulator.connection;
      const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], {
        env: {
          ...process.env,
          CONNECTION: JSON.stringify(connection),
          SECRET: clientSecret,
          CA_PEM: emulator.caPem,
          CACHE_DIR: directory,
        },
        encoding: "utf8",
      });
      return JSON.parse(stdout) as { token: string; msal: boolean };
    };
    const first = await child();
    expect(first.msal).toBe(true); // nothing cached: msal-node gets the token
    await expect.poll(tokenRequests).toBe(1);
    const second = await child();
    expect(second).toEqual({ token: first.token, msal: false });
    // Inside the renewal window the file's token is not served as it is: msal-node is loaded and renews it.
    const file = fileOf();
    const cache = JSON.parse(readFileSync(file, "utf8"));
    for (const entry of Object.values<{ expires_on: string }>(cache.AccessToken))
      entry.expires_on = String(Math.floor(Date.now() / 1000) + 200);
    writeFileSync(file, JSON.stringify(cache));
    const third = await child();
    expect(third.msal).toBe(true);
    expect(third.token).not.toBe(first.token);
    await expect.poll(tokenRequests).toBe(2);
    expect(await child()).toEqual({ token: third.token, msal: false });
  });

  it("keeps the file and its directories owner-only, and no secret in it", async () => {
    await credential().getToken(SCOPE);
    const file = fileOf();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(statSync(directory).mode & 0o777).toBe(0o700);
    const text = readFileSync(file, "utf8");
    expect(findSecrets(text, knownSecrets(emulator.connection), { tokensAllowed: true })).toEqual([]);
    // The name says nothing about the tenant or the app.
    expect(path.basename(file)).toMatch(/^[0-9a-f]{32}\.json$/);
    expect(readdirSync(path.dirname(file))).toEqual([path.basename(file)]); // no temporary file left
  });

  it("keeps no private key in the file of a certificate credential", async () => {
    const c = emulator.connection;
    const make = () =>
      new ClientCertificateCredential(
        c.tenantId,
        c.clientId,
        { certificatePath: c.clientCertificatePath, privateKeyPath: c.clientPrivateKeyPath },
        options(),
      );
    const first = await make().getToken(SCOPE);
    expect((await make().getToken(SCOPE)).token).toBe(first.token);
    await expect.poll(tokenRequests).toBe(1);
    const text = readFileSync(fileOf(), "utf8");
    expect(findSecrets(text, knownSecrets(c), { tokensAllowed: true })).toEqual([]);
    expect(text).not.toMatch(/PRIVATE KEY|client_secret|client_assertion/i);
  });

  it("renews a token near expiry and stores the new one", async () => {
    const first = await credential().getToken(SCOPE);
    // Time passes: the stored token now has 200 s left, inside msal-node's five-minute renewal window.
    const file = fileOf();
    const cache = JSON.parse(readFileSync(file, "utf8"));
    for (const entry of Object.values<{ expires_on: string }>(cache.AccessToken))
      entry.expires_on = String(Math.floor(Date.now() / 1000) + 200);
    writeFileSync(file, JSON.stringify(cache));
    const renewed = await credential().getToken(SCOPE);
    expect(decodeJwt(renewed.token).uti).not.toBe(decodeJwt(first.token).uti);
    await expect.poll(tokenRequests).toBe(2);
    // The renewed token replaced the old one in the file: a third credential asks for nothing.
    expect((await credential().getToken(SCOPE)).token).toBe(renewed.token);
    await expect.poll(tokenRequests).toBe(2);
  });

  it("never reads across partitions", async () => {
    await credential({ partition: "one" }).getToken(SCOPE);
    await credential({ partition: "two" }).getToken(SCOPE);
    await expect.poll(tokenRequests).toBe(2);
    await credential({ partition: "one" }).getToken(SCOPE);
    await expect.poll(tokenRequests).toBe(2);
    expect(fileOf("one")).not.toBe(fileOf("two"));
  });

  it("never serves a token got with one secret to a credential holding another", async () => {
    const c = emulator.connection;
    await credential().getToken(SCOPE);
    const wrong = new ClientSecretCredential(c.tenantId, c.clientId, "not-the-secret", options());
    await expect(wrong.getToken(SCOPE)).rejects.toThrow(/AADSTS7000215/);
    await expect.poll(tokenRequests).toBe(2);
    const text = readFileSync(fileOf(), "utf8");
    expect(findSecrets(text, ["not-the-secret"], { tokensAllowed: true })).toEqual([]);
  });

  it("ignores a corrupt file with a warning that quotes none of it, then replaces it", async () => {
    await credential().getToken(SCOPE);
    const file = fileOf();
    writeFileSync(file, '{"AccessToken": {"x": eyJhbGciOiJSUzI1NiJ9 garbage', { mode: 0o600 });
    const token = await credential().getToken(SCOPE);
    expect(token.token).toBeTruthy();
    await expect.poll(tokenRequests).toBe(2);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(file);
    expect(warnings[0]).toContain("not JSON");
    expect(warnings[0]).not.toContain("eyJ");
    expect(() => JSON.parse(readFileSync(file, "utf8"))).not.toThrow();
    // A JSON value that is not a cache is ignored the same way.
    writeFileSync(file, "[1, 2]");
    await credential().getToken(SCOPE);
    expect(warnings[1]).toContain("not a JSON object");
  });

  it("stays a whole, valid file when many writers store tokens at once", async () => {
    emulator.services.config.tokenLifetimeSeconds = 240; // inside the renewal window: every call stores
    const writers = Array.from({ length: 12 }, (_, i) => credential().getToken(i % 2 ? SCOPE : ARM));
    const tokens = await Promise.all(writers);
    expect(tokens.every((t) => t.token)).toBe(true);
    expect(warnings).toEqual([]);
    const file = fileOf(); // exactly one file: no temporary file left behind
    const cache = JSON.parse(readFileSync(file, "utf8"));
    expect(Object.keys(cache.AccessToken).length).toBeGreaterThanOrEqual(1);
  });

  it("clears one partition or all of them", async () => {
    await credential({ partition: "one" }).getToken(SCOPE);
    await credential({ partition: "two" }).getToken(SCOPE);
    expect(await clearTokenCache(directory, "one")).toBe(1);
    await credential({ partition: "one" }).getToken(SCOPE);
    await credential({ partition: "two" }).getToken(SCOPE);
    await expect.poll(tokenRequests).toBe(3);
    expect(await clearTokenCache(directory)).toBe(2);
    expect(readdirSync(directory)).toEqual([]);
    expect(await clearTokenCache(path.join(directory, "never-made"))).toBe(0);
  });

  it("refuses a partition that could name another directory", () => {
    const c = emulator.connection;
    expect(
      () =>
        new ClientSecretCredential(c.tenantId, c.clientId, c.clientSecret, options({ partition: "../x" })),
    ).toThrow(/partition/);
  });
});
