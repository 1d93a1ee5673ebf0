// Each public package installed alone, as its README's install line says, with npm and with pnpm, into a fresh
// project; then its README quick start, copied from the README, runs against the shared emulator: on the Node
// this repository uses and, for npm, on the oldest Node its engines field accepts.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { startEmulatorCommand } from "../src/emulator.js";
import { run } from "../src/exec.js";
import { declaredFloor } from "../src/floors.js";
import { createProject, type Manager, type Project } from "../src/projects.js";
import { floorNode, linkEmulator, runBlock, typecheck, writeBlock } from "../src/quick-start.js";
import { installCommand, markedBlock } from "../src/readme.js";
import { filesOf, packedFrom } from "../src/workspace.js";

const ctx = inject("packaging");
const packed = packedFrom(ctx.packed);
const projects = path.join(ctx.root, "projects");

/** What each quick start must print (beyond exiting 0 in time): proof that it did its work. */
const EXPECTED: Record<string, RegExp[]> = {
  "@adlkit/auth": [/a Data Lake token, valid until \d{4}-/],
  "@adlkit/core": [/adl-emulator subscription/, /^404 /m],
  "@adlkit/fs-client": [
    /^hello, lake$/m,
    /^big\.bin 20971520$/m,
    /^\/raw\/2024\/hello\.txt$/m,
    /^no \/raw\/2023$/m,
  ],
  "@adlkit/arm-client": [/^analyticslake\.localhost:\d+$/m, /^analyticslake$/m],
  "@adlkit/emulator": [/^https:\/\/localhost:\d+, connection details in .*connection\.json$/m],
  "@adlkit/bulk-io": [/^67108864 bytes,/m],
  "@adlkit/cli": [/"pathSuffix":"small\.csv"/, /^1,ada$/m],
};

const timings: string[] = [];
afterAll(() => {
  console.log(`install and quick-start times:\n  ${timings.join("\n  ")}`);
});

// Packages run side by side (installs mostly wait on the network); npm and pnpm of one package in turn, since
// a quick start changes the emulator's state and cleans up after itself.
describe.concurrent.each(packed.map((p) => [p.manifest.name, p] as const))("%s", (name, p) => {
  const readme = readFileSync(path.join(p.dir, "README.md"), "utf8");
  const install = installCommand(markedBlock(readme, "install"));
  const quickStart = markedBlock(readme, "quick-start");

  it("has a README install line for itself and a quick start whose output is known", () => {
    expect(install.packages[0]).toBe(name);
    expect(EXPECTED[name], `add ${name}'s expected quick-start output to EXPECTED`).toBeDefined();
  });

  it("installs alone with npm, then with pnpm, and runs its README quick start each time", async () => {
    for (const manager of ["npm", "pnpm"] as Manager[]) {
      const project = await createProject(
        projects,
        `${p.short}-${manager}`,
        manager,
        ctx.registryUrl,
        install,
      );
      expectOnlyRequestedPackages(project, install.packages, install.global);
      const out = await quickStartOutput(project, p.manifest.name, quickStart);
      for (const pattern of EXPECTED[name] ?? []) expect(out.stdout, manager).toMatch(pattern);
      timings.push(`${name} ${manager}: install ${project.installMs} ms, quick start ${out.ms} ms`);

      if (install.global) await checkGlobalBin(project, p.manifest.name, p.packedManifest.version);
      else await checkLibrary(project, name, p.packedManifest.version, quickStart.lang);

      if (manager === "npm") {
        // The floor is what engines promises: the quick start must run there too.
        const floor = declaredFloor(p.packedManifest.engines?.node);
        expect(floor).toBeDefined();
        const node = await floorNode(ctx.root, floor ?? "", project.env);
        const atFloor = await quickStartOutput(project, p.manifest.name, quickStart, node);
        for (const pattern of EXPECTED[name] ?? []) expect(atFloor.stdout, `Node ${floor}`).toMatch(pattern);
        timings.push(`${name} on Node ${floor}: quick start ${atFloor.ms} ms`);
      }
    }
  });
});

/** The quick start as a reader runs it: the CLI's with its own emulator (`adl emulator start`), the rest on the shared one. */
async function quickStartOutput(
  project: Project,
  name: string,
  block: ReturnType<typeof markedBlock>,
  node?: string,
) {
  if (name === "@adlkit/cli") {
    const dataDir = path.join(project.dir, ".adl-emulator");
    const env: NodeJS.ProcessEnv = { ...project.env, XDG_CONFIG_HOME: path.join(project.dir, "config") };
    if (node) env.PATH = `${path.dirname(node)}${path.delimiter}${env.PATH}`;
    const emulator = await startEmulatorCommand("adl", ["emulator", "start"], {
      cwd: project.dir,
      env,
      dataDir,
    });
    try {
      return await runBlock(project, block, "quick-start", { env, ...(node ? { node } : {}) });
    } finally {
      await emulator.stop();
    }
  }
  if (!existsSync(path.join(project.dir, ".adl-emulator"))) linkEmulator(project, ctx.emulatorDir);
  if (block.lang === "ts" && !node) {
    const started = Date.now();
    await typecheck(project, writeBlock(project, block, "quick-start")).catch(rethrowAsTypeError);
    timings.push(`${name} ${project.manager}: type check ${Date.now() - started} ms`);
  }
  return runBlock(project, block, "quick-start", node ? { node } : {});
}

function rethrowAsTypeError(err: Error): never {
  throw new Error(
    `the README quick start does not type-check against the installed packages:\n${err.message}`,
  );
}

/**
 * Under pnpm's strict layout only the packages the install line names are importable: if a quick start needs
 * another, it fails there, which is what this test is for. npm hoists, so its top level has more.
 */
function expectOnlyRequestedPackages(project: Project, packages: string[], global: boolean): void {
  if (global || project.manager !== "pnpm") return;
  const scoped = readdirSync(path.join(project.dir, "node_modules", "@adlkit")).map((n) => `@adlkit/${n}`);
  expect(scoped.sort()).toEqual(packages.filter((p) => p.startsWith("@adlkit/")).sort());
}

/** A library: its entry loads from CommonJS too (require(esm)), with the same exports. */
async function checkLibrary(project: Project, name: string, version: string, lang: string): Promise<void> {
  expect(lang).toBe("ts");
  const script = `const m = require(${JSON.stringify(name)}); console.log(Object.keys(m).length);`;
  const cjs = await run("node", ["--input-type=commonjs", "--no-warnings", "-e", script], {
    cwd: project.dir,
    env: project.env,
    timeoutMs: 30_000,
  });
  expect(Number(cjs.stdout.trim())).toBeGreaterThan(0);
  if (name === "@adlkit/emulator") {
    const bin = path.join(project.dir, "node_modules", ".bin", "adl-emulator");
    const out = await run(bin, ["--version"], { cwd: project.dir, env: project.env, timeoutMs: 30_000 });
    expect(out.stdout).toBe(`${version}\n`);
  }
}

/** A command installed globally: on PATH, prints its version, and (npm) installed nothing beside itself. */
async function checkGlobalBin(project: Project, name: string, version: string): Promise<void> {
  const out = await run("adl", ["--version"], { cwd: project.dir, env: project.env, timeoutMs: 30_000 });
  expect(out.stdout).toBe(`${version}\n`);
  if (project.manager === "npm" && project.globalPackageDir) {
    // lib/node_modules of the prefix: the package itself and anything npm put beside or under it.
    const installed = path.join(project.globalPackageDir, "..", "..");
    const files = filesOf(installed);
    const packages = files.filter((f) => /^(.*\/node_modules\/)?(@[^/]+\/)?[^/@]+\/package\.json$/.test(f));
    const bytes = files.reduce((sum, f) => sum + statSync(path.join(installed, f)).size, 0);
    timings.push(`${name} npm --global: ${packages.length} package(s), ${(bytes / 1e6).toFixed(2)} MB`);
    expect(packages, `${name} installed dependencies beside its bundle`).toEqual([`${name}/package.json`]);
  }
}
