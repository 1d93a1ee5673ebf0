import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runChild } from "../helpers/run-child.js";
import { type ArmFixture, accountName, startArmFixture } from "./arm-fixture.js";

/** Debian's interpreter, which has python3-azure (azure-mgmt-datalake-store 1.0.0, azure-mgmt-resource 22); not the pyenv one on PATH. */
const PYTHON = "/usr/bin/python3";
const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), "python", "mgmt_accounts.py");

function sdkMissing(): string | undefined {
  if (!existsSync(PYTHON)) return `${PYTHON} does not exist`;
  const probe = spawnSync(PYTHON, ["-c", "import azure.mgmt.datalake.store, azure.mgmt.resource"], {
    encoding: "utf8",
  });
  return probe.status === 0
    ? undefined
    : `azure-mgmt-datalake-store/azure-mgmt-resource are not importable by ${PYTHON} (apt-get install python3-azure): ${probe.stderr.trim().split("\n").pop()}`;
}
const missing = sdkMissing();
if (missing) console.warn(`Skipping the Python SDK cross-client ARM tests: ${missing}`);

const OTHER_TENANT = randomUUID();
const OTHER_SUBSCRIPTION = randomUUID();
const OTHER_APP = { clientId: randomUUID(), secret: "python-sdk-tenant-secret" };

describe.skipIf(missing !== undefined)("ARM through the Python azure-mgmt SDKs", () => {
  let fx: ArmFixture;
  let home: string;

  beforeAll(async () => {
    fx = await startArmFixture({
      arm: { pageSize: 100, lroPolls: 2, retryAfterSeconds: 1 },
      tenants: [
        {
          id: OTHER_TENANT,
          applications: [{ clientId: OTHER_APP.clientId, secrets: [OTHER_APP.secret] }],
          subscriptions: [{ id: OTHER_SUBSCRIPTION }],
        },
      ],
    });
    home = mkdtempSync(path.join(tmpdir(), "adl-arm-py-"));
  }, 60_000);
  afterAll(async () => {
    await fx?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  function run(mode: string, env: Record<string, string>) {
    const c = fx.emu.emulator.connection;
    return runChild(PYTHON, [SCRIPT, mode], {
      PATH: "/usr/bin:/bin",
      HOME: home,
      REQUESTS_CA_BUNDLE: c.caCertificatePath,
      EMU_URL: c.url,
      ...env,
    });
  }

  it("creates (LRO), reads, updates, lists, adds a rule to and deletes an account, then deletes its group", async () => {
    const name = accountName("py");
    const result = await run("lifecycle", {
      EMU_SUBSCRIPTION: fx.sub,
      EMU_ARM_TOKEN: await fx.token(),
      EMU_GROUP: "py-group",
      EMU_ACCOUNT: name,
    });
    expect(result.code, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout.trim().split("\n").pop() ?? "{}");
    const port = new URL(fx.emu.url).port;
    expect(out).toMatchObject({
      group: { name: "py-group", state: "Succeeded" },
      group_exists: true,
      available_before: true,
      created: {
        provisioning_state: "Succeeded",
        state: "Active",
        endpoint: `${name}.localhost:${port}`,
        tags: { a: "b" },
        identity_type: "SystemAssigned",
      },
      available_after: false,
      get_state: "Succeeded",
      updated_tags: { c: "d" },
      rules: ["office"],
      listed_by_group: [name],
      listed_in_subscription: true,
      capability_state: "Registered",
      after_delete: "ResourceNotFound",
      group_exists_after_delete: false,
    });
    expect(out.created.principal_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(out.operations).toBeGreaterThan(20);
    // Two InProgress polls at Retry-After: 1 s, not azure-core's 30 s default.
    expect(out.create_seconds).toBeLessThan(10);
    expect(fx.emu.emulator.services.accounts.has(name)).toBe(false);
    const polls = fx.emu.emulator.services.journal
      .entries()
      .filter((e) => e.op === "arm:OperationResults_Get");
    expect(polls.length).toBe(3);
    expect(new Set(polls.map((e) => e.clientRequestId)).size).toBe(1);
  }, 90_000);

  it("lets azure-mgmt-core register Microsoft.DataLakeStore on an unregistered subscription and replay the call", async () => {
    const result = await run("register", {
      EMU_SUBSCRIPTION: OTHER_SUBSCRIPTION,
      EMU_ARM_TOKEN: await fx.emu.token("https://management.azure.com/", {
        tenantId: OTHER_TENANT,
        ...OTHER_APP,
      }),
    });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout.trim().split("\n").pop() ?? "{}")).toEqual({ accounts: [] });
    expect(result.stderr).toContain("Registration succeeded");
  }, 90_000);
});
