import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, it } from "vitest";

/** Debian's interpreter, which has the python3-azure* packages; not a pyenv one on PATH. */
export const PYTHON = "/usr/bin/python3";

/**
 * Whether the official Python SDKs a conformance test runs are importable by Debian's python3, and what to do
 * when they are not. On a laptop without them the test is skipped with a warning; in CI (`CI=true`), where the
 * README's set-up (scripts/system-deps.sh) installs them, a missing package is a failure that names the Debian
 * package to install, so a broken CI image never passes by skipping the Python half of the conformance suite.
 */
export interface PythonSdks {
  /** Why the SDKs cannot run here (undefined: they can). */
  missing: string | undefined;
  /** `it`, or `it.skip` when they are missing outside CI. */
  it: typeof it;
  /** `describe`, or `describe.skip` when they are missing outside CI. */
  describe: typeof describe;
}

/** Probes `import {modules}` in Debian's python3; `debianPackage` is what `apt-get install` would add. */
export function pythonSdks(modules: string[], debianPackage: string, what: string): PythonSdks {
  const missing = probe(modules, debianPackage);
  const inCi = process.env.CI === "true";
  if (missing === undefined) return { missing, it, describe };
  if (!inCi) {
    console.warn(`Skipping the ${what} test: ${missing}`);
    return { missing, it: it.skip as typeof it, describe: describe.skip as typeof describe };
  }
  // In CI each test of the group fails at once with the reason, instead of being skipped.
  const failing = ((name: string) =>
    it(name, () => {
      throw new Error(`${what}: ${missing}`);
    })) as unknown as typeof it;
  const failingDescribe = ((name: string) =>
    describe(name, () => {
      it("has its Python SDKs", () => {
        throw new Error(`${what}: ${missing}`);
      });
    })) as unknown as typeof describe;
  return { missing, it: failing, describe: failingDescribe };
}

function probe(modules: string[], debianPackage: string): string | undefined {
  if (!existsSync(PYTHON)) return `${PYTHON} does not exist (apt-get install python3 ${debianPackage})`;
  const result = spawnSync(PYTHON, ["-c", `import ${modules.join(", ")}`], { encoding: "utf8" });
  if (result.status === 0) return undefined;
  const why = result.stderr.trim().split("\n").pop() ?? "";
  return `${modules.join(", ")} not importable by ${PYTHON} (${why}); install the Debian package ${debianPackage} (apt-get install ${debianPackage}, or scripts/system-deps.sh)`;
}
