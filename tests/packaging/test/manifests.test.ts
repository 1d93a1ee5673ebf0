// The tarballs as `pnpm pack` made them: our manifest rules, publint --strict and Are the Types Wrong.
import path from "node:path";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { describe, expect, inject, it } from "vitest";
import { run } from "../src/exec.js";
import {
  cliProblems,
  dependencyProblems,
  engineProblems,
  licenceProblems,
  mapProblems,
  metadataProblems,
} from "../src/rules.js";
import { packedFrom, publicPackages } from "../src/workspace.js";

const packed = packedFrom(inject("packaging").packed);
const attw = path.join(import.meta.dirname, "..", "node_modules", ".bin", "attw");

it("packs every public package, and only those", () => {
  expect(packed.map((p) => p.manifest.name).sort()).toEqual(
    publicPackages()
      .map((p) => p.manifest.name)
      .sort(),
  );
  expect(packed.length).toBeGreaterThanOrEqual(7);
});

describe.each(packed.map((p) => [p.manifest.name, p] as const))("%s", (_name, p) => {
  it("ships the MIT LICENSE and says where it comes from (repository, homepage, bugs)", () => {
    expect([...licenceProblems(p), ...metadataProblems(p)]).toEqual([]);
  });

  it("depends on published packages only, internal ones by ^ range, with no devDependencies", () => {
    expect(dependencyProblems(p)).toEqual([]);
  });

  it("declares the Node floor its dependencies and Node features set", () => {
    expect(engineProblems(p)).toEqual([]);
  });

  it("ships no map that points at a file it does not ship", () => {
    expect(mapProblems(p)).toEqual([]);
  });

  it.runIf(p.manifest.name === "@adlkit/cli")("is one bundle with no dependencies and its notices", () => {
    expect(cliProblems(p)).toEqual([]);
  });

  it("passes publint --strict", async () => {
    const { messages, pkg } = await publint({ pkgDir: p.unpacked, pack: false, strict: true });
    const lines = messages.map((m) => `${m.type}: ${formatMessage(m, pkg, { color: false })}`);
    expect(lines.filter((l) => !l.startsWith("suggestion"))).toEqual([]);
  });

  it("has types that resolve for ESM consumers (Are the Types Wrong, esm-only profile)", async () => {
    const result = await run(attw, [p.tarball, "--profile", "esm-only", "--format", "json"], {
      cwd: path.dirname(p.tarball),
      allowFailure: true,
      timeoutMs: 60_000,
    });
    const report = JSON.parse(result.stdout) as { analysis: { types: unknown; problems?: unknown[] } };
    if (p.manifest.name === "@adlkit/cli") {
      // A command, not a library: nothing to import, so no types to check.
      expect(report.analysis.types).toBe(false);
      return;
    }
    expect(report.analysis.types).not.toBe(false);
    // esm-only ignores CommonJS resolution by TypeScript's node10/node16 rules; require(esm) covers those callers.
    expect(result.code, result.stdout).toBe(0);
  });
});
