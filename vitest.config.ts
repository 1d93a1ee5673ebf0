import { existsSync, readdirSync } from "node:fs";
import { defineConfig } from "vitest/config";

/**
 * The unit tests of every package as one vitest run, without the emulator: a `{package}:unit` project per package
 * with `src/**\/*.test.ts` (pure code, tests beside their module) and no global setup. `pnpm test:unit` runs them
 * all; `pnpm test` (turbo) still runs each package's own config, unit and e2e, against a real emulator.
 */
const packages = ["packages", "apps"].flatMap((group) =>
  readdirSync(group)
    .map((name) => `${group}/${name}`)
    .filter((dir) => existsSync(`${dir}/src`) && existsSync(`${dir}/package.json`)),
);

export default defineConfig({
  test: {
    projects: packages.map((dir) => ({
      test: {
        name: `${dir.split("/")[1]}:unit`,
        root: dir,
        include: ["src/**/*.test.ts"],
        testTimeout: 30_000,
      },
    })),
  },
});
