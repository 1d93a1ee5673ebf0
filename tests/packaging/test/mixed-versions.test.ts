// A newer core beside older clients: with ^ ranges, npm and pnpm install one core that every client shares,
// so an error thrown by one client is the same class a caller imports from another (instanceof works).
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { run } from "../src/exec.js";
import { createProject, type Manager } from "../src/projects.js";
import { type Registry, startRegistry } from "../src/registry.js";
import { type Manifest, packedFrom, readJson } from "../src/workspace.js";

const ctx = inject("packaging");
const packed = packedFrom(ctx.packed);
const root = path.join(ctx.root, "mixed");
let registry: Registry;
let newer: string;

// A registry of its own, so that the other tests install the core that was packed, not this newer one.
beforeAll(async () => {
  registry = await startRegistry(path.join(root, "registry"));
  await Promise.all(packed.map((p) => registry.publish(p.tarball)));
  const core = packed.find((p) => p.manifest.name === "@adlkit/core");
  if (!core) throw new Error("@adlkit/core was not packed");
  const bumped = path.join(root, "core-patch", "package");
  cpSync(core.unpacked, bumped, { recursive: true });
  const manifest = readJson<Manifest>(path.join(bumped, "package.json"));
  const [major, minor, patch] = manifest.version.split(".").map(Number);
  newer = `${major}.${minor}.${(patch ?? 0) + 1}`;
  writeFileSync(path.join(bumped, "package.json"), JSON.stringify({ ...manifest, version: newer }, null, 2));
  await registry.publish(bumped);
});

afterAll(async () => {
  await registry?.stop();
});

/** The versions of @adlkit/core a project's lockfile installs (pnpm may leave an unused folder behind). */
function coreCopies(dir: string, manager: Manager): string[] {
  if (manager === "pnpm") {
    const lock = readFileSync(path.join(dir, "pnpm-lock.yaml"), "utf8");
    return [...new Set([...lock.matchAll(/^ {2}'@adlkit\/core@([^'(]+)'/gm)].map((m) => m[1] ?? ""))];
  }
  const lock = readJson<{ packages: Record<string, { version: string }> }>(
    path.join(dir, "package-lock.json"),
  );
  return Object.entries(lock.packages)
    .filter(([key]) => key.endsWith("node_modules/@adlkit/core"))
    .map(([, value]) => value.version);
}

const SAME_CLASS = `
import { AdlkitError as FromCore } from "@adlkit/core";
import { AdlkitError as FromFs } from "@adlkit/fs-client";
import { AdlkitError as FromArm } from "@adlkit/arm-client";
console.log(FromCore === FromFs && FromFs === FromArm ? "one AdlkitError" : "several AdlkitErrors");
`;

describe("clients of one version beside a newer core", () => {
  it.each(["npm", "pnpm"] as Manager[])("share that one core (%s)", async (manager) => {
    const older = packed.find((p) => p.manifest.name === "@adlkit/fs-client")?.packedManifest.version;
    const project = await createProject(
      path.join(root, "projects"),
      `mixed-${manager}`,
      manager,
      registry.url,
      {
        packages: [`@adlkit/fs-client@${older}`, `@adlkit/arm-client@${older}`, `@adlkit/core@${newer}`],
        global: false,
        dev: false,
      },
    );
    expect(coreCopies(project.dir, manager)).toEqual([newer]);
    writeFileSync(path.join(project.dir, "same-class.mjs"), SAME_CLASS);
    const out = await run("node", ["same-class.mjs"], {
      cwd: project.dir,
      env: project.env,
      timeoutMs: 30_000,
    });
    expect(out.stdout.trim()).toBe("one AdlkitError");
    const installed = JSON.parse(readFileSync(path.join(project.dir, "package.json"), "utf8")) as Manifest;
    expect(installed.dependencies?.["@adlkit/core"]).toContain(newer);
  });

  it.each(["npm", "pnpm"] as Manager[])(
    "move to a newer core installed later, with no second copy left (%s)",
    async (manager) => {
      const older = packed.find((p) => p.manifest.name === "@adlkit/core")?.packedManifest.version;
      const project = await createProject(
        path.join(root, "projects"),
        `later-${manager}`,
        manager,
        registry.url,
        {
          packages: ["@adlkit/fs-client", "@adlkit/arm-client", `@adlkit/core@${older}`],
          global: false,
          dev: false,
        },
      );
      expect(coreCopies(project.dir, manager)).toEqual([older]);
      const args = manager === "npm" ? ["install", "--no-audit", "--no-fund"] : ["add"];
      const options = { cwd: project.dir, env: project.env, timeoutMs: 120_000 };
      await run(manager, [...args, `@adlkit/core@${newer}`], options);
      // pnpm keeps what its lockfile resolved for the clients until asked to dedupe, as core's README says.
      if (manager === "pnpm") await run("pnpm", ["dedupe"], options);
      expect(coreCopies(project.dir, manager)).toEqual([newer]);
    },
  );
});
