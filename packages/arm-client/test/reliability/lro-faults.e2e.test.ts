import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ClientSecretCredential } from "@adlkit/auth";
import { emulatorCloud } from "@adlkit/core";
import { type FaultRule, type JournalEntry, type RunningEmulator, startEmulator } from "@adlkit/emulator";
import { findSecrets, knownSecrets } from "@adlkit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ArmClient, createArmClient } from "../../src/index.js";
import { collect, uniqueName } from "../helpers.js";

/**
 * Issue 7: Resource Manager long-running operations (account create and delete, resource-group delete) run to
 * completion through 429 storms, transient 500/503s and lost responses, on the initial requests and on the
 * polls alike. Private emulator: faults are global to one.
 */
const GROUPS = 3;
const logLines: string[] = [];
const logAll = (line: string) => logLines.push(line);
const ACCOUNTS_PER_GROUP = 2;

/** A storm: every Resource Manager request is throttled until `times` have been, then the background noise. */
function faults(stormSize: number): FaultRule[] {
  return [
    { area: "arm", status: 429, retryAfterSeconds: 1, everyNth: 1, times: stormSize },
    { area: "arm", status: 429, probability: 0.12 },
    { area: "arm", status: 500, probability: 0.1 },
    { area: "arm", status: 503, probability: 0.05 },
    // Applied, but the answer never comes (the connection closes before any byte of the response).
    { area: "arm", method: "GET", action: "lose-response", probability: 0.08 },
  ];
}

describe("ARM long-running operations under 429 storms and transient 5xx", () => {
  let emulator: RunningEmulator;
  let dataDir: string;
  let client: ArmClient;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "adlkit-arm-lro-faults-"));
    // Three polls report InProgress before each operation finishes, so polls meet faults too.
    emulator = await startEmulator({ port: 0, dataDir, config: { arm: { lroPolls: 3 } } });
    const { connection, caPem } = emulator;
    const cloud = emulatorCloud({ ...connection, caPem });
    const credential = new ClientSecretCredential(
      connection.tenantId,
      connection.clientId,
      connection.clientSecret,
      { cloud },
    );
    client = createArmClient({
      credential,
      subscriptionId: connection.subscriptionId,
      cloud,
      pollIntervalInMs: 50,
      retry: { limit: 8, baseDelayInMs: 20, maxDelayInMs: 1000 },
      logger: { error: logAll, warning: logAll, info: logAll, verbose: logAll },
    });
  });
  afterAll(async () => {
    emulator?.services.faults.clear();
    await client?.close();
    await emulator?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("creates and deletes accounts and resource groups to completion", async () => {
    const groups = Array.from({ length: GROUPS }, () => ({
      name: uniqueName("rg-lro-"),
      accounts: Array.from({ length: ACCOUNTS_PER_GROUP }, () => uniqueName("lro")),
    }));
    emulator.services.journal.clear();

    // Creation, all at once, starting in a storm.
    emulator.services.faults.set(faults(8));
    await Promise.all(
      groups.map(async (g) => {
        await client.resourceGroups.createOrUpdate(g.name, { location: "eastus2" });
        await Promise.all(
          g.accounts.map(async (a) => {
            const created = await client.accounts.beginCreateAndWait(g.name, a, { location: "eastus2" });
            expect(created.properties.provisioningState).toBe("Succeeded");
            expect(created.name).toBe(a);
          }),
        );
      }),
    );
    // Checked in the same weather.
    for (const g of groups) {
      const listed = (await collect(client.accounts.listByResourceGroup(g.name))).map((a) => a.name);
      expect(listed.sort()).toEqual([...g.accounts].sort());
    }

    // Deletion, in another storm: one account of each group by itself, then the groups with the rest.
    emulator.services.faults.set(faults(8));
    await Promise.all(groups.map((g) => client.accounts.beginDeleteAndWait(g.name, g.accounts[0]!)));
    await Promise.all(groups.map((g) => client.resourceGroups.beginDeleteAndWait(g.name)));
    emulator.services.faults.clear();

    // In calm weather: everything created is gone, and nothing else was made.
    for (const g of groups) {
      expect(await client.resourceGroups.exists(g.name)).toBe(false);
      for (const a of g.accounts)
        expect((await client.accounts.checkNameAvailability("eastus2", a)).nameAvailable).toBe(true);
    }
    expect(await collect(client.accounts.list())).toEqual([]);

    // The faults really hit: storms, 500s and 503s, on initial requests and on polls of operations.
    const entries = emulator.services.journal.entries((e: JournalEntry) => Boolean(e.fault));
    const count = (re: RegExp, where: (e: JournalEntry) => boolean = () => true) =>
      entries.filter((e) => re.test(e.fault ?? "") && where(e)).length;
    const isPoll = (e: JournalEntry) => e.method === "GET" && /operation/i.test(e.path);
    const summary = {
      faulted: entries.length,
      s429: count(/status 429/),
      s500: count(/status 500/),
      s503: count(/status 503/),
      cut: count(/lose-response/),
      onPolls: count(/./, isPoll),
      onWrites: count(/./, (e) => e.method === "PUT" || e.method === "DELETE"),
    };
    console.log("ARM faults:", JSON.stringify(summary));
    expect(summary.s429).toBeGreaterThanOrEqual(16);
    expect(summary.s500 + summary.s503).toBeGreaterThan(0);
    expect(summary.onPolls).toBeGreaterThan(0);
    expect(summary.onWrites).toBeGreaterThan(0);
    // Every retry was logged, without a token or a secret.
    expect(logLines.filter((l) => /retry/i.test(l)).length).toBeGreaterThan(10);
    expect(findSecrets(logLines.join("\n"), knownSecrets(emulator.connection))).toEqual([]);
  }, 180_000);

  // A connection cut after the headers but part-way through the JSON body: core reads JSON bodies inside the
  // attempt, so the GET is retried like any other network failure.
  it("retries a GET whose response is cut part-way through the body", async () => {
    const group = uniqueName("rg-cut-");
    await client.resourceGroups.createOrUpdate(group, { location: "eastus2" });
    emulator.services.faults.set([
      { area: "arm", method: "GET", action: "reset-response", afterBytes: 10, times: 1 },
    ]);
    try {
      expect((await client.resourceGroups.get(group)).name).toBe(group);
    } finally {
      emulator.services.faults.clear();
      await client.resourceGroups.beginDeleteAndWait(group);
    }
  }, 60_000);
});
