import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    globalSetup: ["@adlkit/testkit/global-setup"],
    testTimeout: 30_000,
  },
});
