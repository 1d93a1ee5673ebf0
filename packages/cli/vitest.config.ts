import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

const require = createRequire(import.meta.url);

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // One real emulator per run (HTTPS, its own CA), shared by the e2e files; each uses its own names and paths.
    globalSetup: [require.resolve("@adlkit/testkit/global-setup")],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
