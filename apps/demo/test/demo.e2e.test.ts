import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const main = fileURLToPath(new URL("../dist/main.js", import.meta.url));

describe("the demo walkthrough", () => {
  it("runs every step against the embedded emulator and cleans up", async () => {
    const env = { ...process.env };
    delete env.ADLKIT_CLOUD;
    const { stdout, stderr } = await run(process.execPath, [main], { env, timeout: 120_000 });
    for (let n = 1; n <= 18; n++) expect(stdout).toContain(`[${n}] `);
    expect(stdout).toMatch(/SHA-256 [0-9a-f]{16}… matches/);
    // The second walkthrough: the Gen1 tree migrated to Gen2 and compared on both sides.
    expect(stdout).toMatch(
      /copied 2 files, \d+ bytes, 3 directories; access control carried for 5 items; 0 failed/,
    );
    expect(stdout).toMatch(/2 files identical by SHA-256; 4 items with identical access control/);
    expect(stdout).toMatch(/demo\/raw\/2026-11\.bin: 770 .*user:00000000-0000-0000-0000-00000000beef:r--/);
    expect(stdout).toMatch(/storage account adlkitgen2[0-9a-f]+ deleted/);
    expect(stdout).toMatch(/resource group adlkit-demo-[0-9a-f]+ deleted/);
    expect(stdout).toContain("Done.");
    // Tokens are described by their claims, never printed.
    expect(stdout + stderr).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.eyJ/);
  });

  it("explains what is missing when asked to run against a real cloud without credentials", async () => {
    const env = {
      ...process.env,
      ADLKIT_CLOUD: "public",
      AZURE_TENANT_ID: "",
      AZURE_CLIENT_ID: "",
      AZURE_CLIENT_SECRET: "",
      AZURE_SUBSCRIPTION_ID: "",
    };
    const err = (await run(process.execPath, [main], { env, timeout: 30_000 }).catch((e: unknown) => e)) as {
      code: number;
      stderr: string;
    };
    expect(err.code).toBe(1);
    expect(err.stderr).toMatch(
      /set AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, AZURE_SUBSCRIPTION_ID/,
    );
  });
});
