import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startEmulator } from "@adlkit/emulator";

import "./provided-context.js";

interface SetupProject {
  provide(key: "emulatorConnectionFile", value: string): void;
}

/**
 * vitest globalSetup: one real emulator per test run, on a free port, with a fresh data directory and CA.
 * Tests read it with `readFixture(inject("emulatorConnectionFile"))` and give each test its own account or
 * path prefix, so files can run in parallel.
 */
export default async function setup(project: SetupProject): Promise<() => Promise<void>> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "adlkit-test-emulator-"));
  const emulator = await startEmulator({ port: 0, dataDir, config: { accounts: ["testacct"] } });
  project.provide("emulatorConnectionFile", emulator.connectionFile);
  return async () => {
    await emulator.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
