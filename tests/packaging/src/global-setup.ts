// vitest globalSetup: packs every public package, publishes the tarballs to a throwaway local registry, installs
// @adlkit/emulator from it as its README says and starts its `adl-emulator`, the emulator every quick start
// talks to. Everything lives in one temporary folder, removed at the end with the registry and emulator stopped.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type RunningEmulator, startEmulatorCommand } from "./emulator.js";
import { declaredFloor } from "./floors.js";
import { createProject } from "./projects.js";
import { floorNode } from "./quick-start.js";
import { installCommand, markedBlock } from "./readme.js";
import { type Registry, startRegistry } from "./registry.js";
import { packAll } from "./workspace.js";
import "./provided-context.js";

interface SetupProject {
  provide(key: "packaging", value: import("./provided-context.js").PackagingContext): void;
}

export default async function setup(project: SetupProject): Promise<() => Promise<void>> {
  const root = mkdtempSync(path.join(tmpdir(), "adlkit-packaging-"));
  let registry: Registry | undefined;
  let emulator: RunningEmulator | undefined;
  const teardown = async () => {
    await emulator?.stop();
    await registry?.stop();
    if (!process.env.ADLKIT_KEEP_PACKAGING_DIR) rmSync(root, { recursive: true, force: true });
  };
  try {
    const packed = await packAll(path.join(root, "tarballs"));
    registry = await startRegistry(path.join(root, "registry"));
    await Promise.all(packed.map((p) => registry?.publish(p.tarball)));

    const emulatorPackage = packed.find((p) => p.manifest.name === "@adlkit/emulator");
    if (!emulatorPackage) throw new Error("@adlkit/emulator was not packed");
    const readme = readFileSync(path.join(emulatorPackage.dir, "README.md"), "utf8");
    const host = await createProject(
      path.join(root, "projects"),
      "emulator-host",
      "npm",
      registry.url,
      installCommand(markedBlock(readme, "install")),
    );
    // On the oldest Node its engines field accepts, so every quick start's traffic also tests that promise.
    const floor = declaredFloor(emulatorPackage.packedManifest.engines?.node);
    if (!floor) throw new Error("@adlkit/emulator's engines.node is not >=X.Y.Z");
    const node = await floorNode(root, floor, host.env);
    const bin = path.join(host.dir, "node_modules", ".bin", "adl-emulator");
    emulator = await startEmulatorCommand(node, ["--no-warnings", bin, "start"], {
      cwd: host.dir,
      env: host.env,
      dataDir: path.join(root, "emulator"),
    });
    project.provide("packaging", {
      root,
      registryUrl: registry.url,
      emulatorDir: emulator.dataDir,
      emulatorHost: host.dir,
      packed: packed.map(({ short, dir, tarball, unpacked }) => ({ short, dir, tarball, unpacked })),
    });
  } catch (err) {
    await teardown();
    throw err;
  }
  return teardown;
}
