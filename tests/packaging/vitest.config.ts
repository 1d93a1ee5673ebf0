import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["./src/global-setup.ts"],
    // Installs reach the npm registry; a slow one should fail a test with its output, not hang the run.
    testTimeout: 240_000,
    hookTimeout: 240_000,
    teardownTimeout: 30_000,
    // Concurrent tests (install.test.ts runs packages side by side) at most three at a time: two cores.
    maxConcurrency: 3,
  },
});
