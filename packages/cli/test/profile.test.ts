import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { PassThrough } from "node:stream";
import { sharedEmulator } from "@adlkit/testkit";
import { describe, expect, it } from "vitest";
import * as profile from "../src/commands/profile.js";
import { configPath } from "../src/config/config-file.js";
import { CliError, exitCodeFor, UsageError } from "../src/errors.js";
import { render } from "../src/output/render.js";
import { painter } from "../src/output/style.js";
import type { Result } from "../src/result.js";
import { configContext, tempDir } from "./helpers.js";

const SECRET = "s3cr3t-value-that-must-never-print";

async function rendered(result: Result, json: boolean, verbose = false): Promise<string> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on("data", (c: Buffer) => chunks.push(c));
  stderr.on("data", (c: Buffer) => chunks.push(c));
  await render(result, { json, verbose, stdout, stderr, paint: painter(false) });
  return Buffer.concat(chunks).toString("utf8");
}

describe("adl profile", () => {
  it("adds a secret profile owner-only and never shows the secret", async () => {
    const dir = tempDir();
    const ctx = configContext(dir, {
      tenant: "contoso.onmicrosoft.com",
      clientId: "11111111-1111-1111-1111-111111111111",
      clientSecret: SECRET,
      subscription: "22222222-2222-2222-2222-222222222222",
    });
    const added = await profile.add({ name: "prod" }, ctx);
    const file = configPath(dir);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(file, "utf8")).profiles.prod.clientSecret).toBe(SECRET);
    expect(await rendered(added, false)).not.toContain(SECRET);
    expect(await rendered(added, true)).not.toContain(SECRET);

    const listed = await profile.list({}, configContext(dir));
    const human = await rendered(listed, false);
    expect(human).toContain("secret ***");
    expect(human).not.toContain(SECRET);
    const asJson = JSON.parse(await rendered(await profile.list({}, configContext(dir)), true));
    expect(asJson).toEqual([
      {
        name: "prod",
        current: true,
        cloud: "public",
        tenantId: "contoso.onmicrosoft.com",
        clientId: "11111111-1111-1111-1111-111111111111",
        subscriptionId: "22222222-2222-2222-2222-222222222222",
        account: null,
        endpoints: { dataLake: "azuredatalakestore.net", storage: "core.windows.net" },
        credential: { type: "secret", secret: "***" },
      },
    ]);
  });

  it("carries the host suffixes of its cloud, Gen2's storage suffix included", async () => {
    const dir = tempDir();
    const flags = { tenant: "t.onmicrosoft.com", clientId: "c", clientSecret: SECRET };
    await profile.add({ name: "cn" }, configContext(dir, { ...flags, cloud: "china" }));
    await profile.add({ name: "gov" }, configContext(dir, { ...flags, cloud: "usgov" }));
    const views = JSON.parse(await rendered(await profile.list({}, configContext(dir)), true)) as Array<{
      name: string;
      endpoints: unknown;
    }>;
    // No Gen1 outside the public cloud; Gen2 everywhere.
    expect(views.map((v) => [v.name, v.endpoints])).toEqual([
      ["cn", { dataLake: null, storage: "core.chinacloudapi.cn" }],
      ["gov", { dataLake: null, storage: "core.usgovcloudapi.net" }],
    ]);
    const added = await profile.add({ name: "cn" }, configContext(dir, { ...flags, cloud: "china" }));
    const text = await rendered(added, false, true);
    expect(text).toMatch(/Gen1 hosts: +-\n/);
    expect(text).toMatch(/Gen2 hosts: +ACCOUNT\.dfs\.core\.chinacloudapi\.cn\n/);
  });

  it("keeps the file at 0600 when it is rewritten", async () => {
    const dir = tempDir();
    await profile.add(
      { name: "a" },
      configContext(dir, { tenant: "t", clientId: "c", clientSecret: SECRET }),
    );
    await profile.add(
      { name: "b" },
      configContext(dir, { tenant: "t", clientId: "c", clientSecret: SECRET }),
    );
    await profile.use({ name: "b" }, configContext(dir));
    await profile.remove({ name: "a" }, configContext(dir));
    expect(statSync(configPath(dir)).mode & 0o777).toBe(0o600);
  });

  it("stores the path of an emulator's connection.json, not its secret", async () => {
    const { connection, connectionFile } = sharedEmulator();
    const dir = tempDir();
    const result = await profile.add(
      { name: "local", fromEmulator: path.dirname(connectionFile), use: true },
      configContext(dir, { account: "testacct" }),
    );
    const text = readFileSync(configPath(dir), "utf8");
    expect(text).not.toContain(connection.clientSecret);
    expect(text).not.toContain(connection.adminKey);
    expect(JSON.parse(text)).toEqual({
      version: 1,
      current: "local",
      profiles: { local: { cloud: "emulator", emulatorConnectionFile: connectionFile, account: "testacct" } },
    });
    expect(result).toMatchObject({
      kind: "record",
      data: {
        credential: { type: "emulator", connectionFile },
        // The emulator's own host suffixes, read from its connection.json on every run.
        endpoints: { dataLake: connection.dataLakeDnsSuffix, storage: connection.storageEndpointSuffix },
      },
    });
    // One line says what was saved; the profile itself only with -v (or --json).
    expect(await rendered(result, false)).toMatch(/^Saved profile local in .*config\.json.*\.\n$/);
    expect(await rendered(result, false, true)).toContain("(emulator)");
  });

  it("fails with the emulator's start command when connection.json is missing", async () => {
    const dir = tempDir();
    const err = await profile
      .add({ name: "x", fromEmulator: dir }, configContext(dir))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).message).toContain(path.join(dir, "connection.json"));
    expect((err as CliError).hint).toMatch(/adl emulator start --data DIR/);
  });

  it.each([
    [{}, /--tenant/],
    [{ tenant: "t" }, /--client-id/],
    [{ tenant: "t", clientId: "c" }, /--client-secret or --certificate/],
  ])("refuses an incomplete profile %j as a usage error", async (flags, message) => {
    const err = await profile.add({ name: "p" }, configContext(tempDir(), flags)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(message);
  });

  it("switches and removes profiles; unknown names exit 3", async () => {
    const dir = tempDir();
    await profile.add(
      { name: "one" },
      configContext(dir, { tenant: "t", clientId: "c", clientSecret: SECRET }),
    );
    await profile.add(
      { name: "two" },
      configContext(dir, { tenant: "t", clientId: "c", clientSecret: SECRET }),
    );
    const read = () => JSON.parse(readFileSync(configPath(dir), "utf8"));
    expect(read().current).toBe("one");
    expect(await profile.use({ name: "two" }, configContext(dir))).toMatchObject({
      data: { current: "two" },
    });
    expect(read().current).toBe("two");
    const missing = await profile.use({ name: "three" }, configContext(dir)).catch((e: unknown) => e);
    expect(exitCodeFor(missing)).toBe(3);
    expect((missing as CliError).hint).toBe("Known profiles: one, two.");
    await profile.remove({ name: "two" }, configContext(dir));
    expect(read()).toMatchObject({ profiles: { one: {} } });
    expect(read().current).toBeUndefined();
    expect(Object.keys(read().profiles)).toEqual(["one"]);
    expect(
      exitCodeFor(await profile.remove({ name: "two" }, configContext(dir)).catch((e: unknown) => e)),
    ).toBe(3);
  });

  it("rejects names that are not file-system and shell friendly", async () => {
    const err = await profile
      .add(
        { name: "../evil" },
        configContext(tempDir(), { tenant: "t", clientId: "c", clientSecret: SECRET }),
      )
      .catch((e: unknown) => e);
    expect(exitCodeFor(err)).toBe(2);
  });

  it("lists nothing, with a hint, before the first profile", async () => {
    const result = await profile.list({}, configContext(tempDir()));
    expect(JSON.parse(await rendered(result, true))).toEqual([]);
    expect(await rendered(result, false)).toMatch(/No profiles yet .*`adl profile add NAME`/);
  });
});
