import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runChild } from "./run-child.js";

/**
 * The Python conformance tests' guard (python-sdks.ts), run in a child vitest over a fixture whose module does
 * not exist: skipped with a warning on a laptop, failed in CI with a message naming the Debian package.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
/** vitest's own CLI, run by this Node. */
const vitest = path.join(
  path.dirname(createRequire(import.meta.url).resolve("vitest/package.json")),
  "vitest.mjs",
);

async function runFixture(ci: boolean) {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: process.env.HOME ?? "/tmp",
  };
  if (ci) env.CI = "true";
  return runChild(
    process.execPath,
    [vitest, "run", "--config", path.join(here, "fixtures", "vitest.config.ts")],
    env,
    60_000,
  );
}

describe("pythonSdks", () => {
  it("in CI a missing Python package fails each test, naming the Debian package", async () => {
    const result = await runFixture(true);
    const out = result.stdout + result.stderr;
    expect(result.code).not.toBe(0);
    expect(out).toMatch(/2 failed/);
    expect(out).toContain("install the Debian package python3-adlkit-missing");
  }, 60_000);

  it("elsewhere it skips them with a warning", async () => {
    const result = await runFixture(false);
    const out = result.stdout + result.stderr;
    expect(result.code).toBe(0);
    expect(out).toMatch(/2 skipped/);
    expect(out).toContain("Skipping the probe test");
  }, 60_000);
});
