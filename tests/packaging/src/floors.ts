// The lowest Node each published package can run on, derived rather than declared: the highest of what Node
// itself must offer (below) and of every dependency's `engines.node`, through the whole dependency tree as
// installed in this workspace. The CLI's dependencies are the packages bundled into it.
import { existsSync, realpathSync } from "node:fs";
import path from "node:path";
import semver from "semver";
import { type Manifest, readJson, type WorkspacePackage, workspacePackages } from "./workspace.js";

/** What our own code needs from Node, with the first version that has it without a flag. */
export const NODE_FEATURES: { packages: string[] | "all"; version: string; why: string }[] = [
  {
    packages: "all",
    version: "22.12.0",
    why: "require(esm) without a flag: CommonJS code can require() these ESM-only packages",
  },
  // node:sqlite needs no flag from 22.13; DatabaseSync.isOpen came in 22.15, isTransaction in 22.16.
  { packages: ["@adlkit/emulator"], version: "22.16.0", why: "node:sqlite's DatabaseSync.isTransaction" },
];

/** Build tools among the CLI's devDependencies: not bundled, so they set no floor. */
const CLI_BUILD_ONLY = /^(esbuild|vitest|@types\/.*|@adlkit\/testkit)$/;

export interface Floor {
  version: string;
  /** What sets it: a dependency chain or a Node feature. */
  reason: string;
}

export function derivedFloor(pkg: WorkspacePackage): Floor {
  const byName = new Map(workspacePackages().map((p) => [p.manifest.name, p]));
  const memo = new Map<string, Floor>();

  const ownFloor = (name: string): Floor => {
    let best: Floor = { version: "0.0.0", reason: "nothing" };
    for (const feature of NODE_FEATURES)
      if (
        (feature.packages === "all" || feature.packages.includes(name)) &&
        semver.gt(feature.version, best.version)
      )
        best = { version: feature.version, reason: feature.why };
    return best;
  };

  const visit = (dir: string, manifest: Manifest, chain: string, seen: Set<string>): Floor => {
    const id = `${manifest.name}@${manifest.version}`;
    const cached = memo.get(id);
    if (cached) return cached;
    let best = manifest.name.startsWith("@adlkit/") ? ownFloor(manifest.name) : fromEngines(manifest, chain);
    const deps = runtimeDependencies(manifest);
    for (const dep of deps) {
      const depDir = locate(dir, dep);
      if (!depDir) {
        // Optional and peer dependencies may be absent; a missing plain dependency means a broken install.
        if (manifest.optionalDependencies?.[dep] || manifest.peerDependencies?.[dep]) continue;
        throw new Error(`${dep} (a dependency of ${id}) is not installed in the workspace`);
      }
      const real = realpathSync(depDir);
      if (seen.has(real)) continue;
      seen.add(real);
      const depManifest = readJson<Manifest>(path.join(real, "package.json"));
      const floor = visit(real, depManifest, `${chain} > ${dep}@${depManifest.version}`, seen);
      if (semver.gt(floor.version, best.version)) best = floor;
    }
    memo.set(id, best);
    return best;
  };

  const runtimeDependencies = (manifest: Manifest): string[] => {
    if (manifest.name === "@adlkit/cli")
      return Object.keys(manifest.devDependencies ?? {}).filter((d) => !CLI_BUILD_ONLY.test(d));
    const workspace = byName.get(manifest.name);
    const source = workspace ? workspace.manifest : manifest;
    return [
      ...Object.keys(source.dependencies ?? {}),
      ...Object.keys(source.optionalDependencies ?? {}),
      ...Object.keys(source.peerDependencies ?? {}),
    ];
  };

  return visit(pkg.dir, pkg.manifest, pkg.manifest.name, new Set([realpathSync(pkg.dir)]));
}

function fromEngines(manifest: Manifest, chain: string): Floor {
  const range = manifest.engines?.node;
  const min = range && semver.validRange(range) ? semver.minVersion(range) : null;
  return min
    ? { version: min.version, reason: `${chain} (engines ${range})` }
    : { version: "0.0.0", reason: `${chain} (no engines)` };
}

/** Where `dep` resolves from `dir`, as Node looks it up: node_modules in `dir` and every folder above it. */
function locate(dir: string, dep: string): string | undefined {
  for (let at = dir; ; at = path.dirname(at)) {
    const candidate = path.join(at, "node_modules", dep);
    if (existsSync(path.join(candidate, "package.json"))) return candidate;
    if (path.dirname(at) === at) return undefined;
  }
}

/** The version of a `>=X.Y.Z` engines range, or undefined for any other shape. */
export function declaredFloor(range: string | undefined): string | undefined {
  return range && /^>=\d+\.\d+\.\d+$/.test(range) ? range.slice(2) : undefined;
}
