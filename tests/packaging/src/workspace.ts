import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { run } from "./exec.js";

export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

export interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  license?: string;
  type?: string;
  engines?: { node?: string };
  bin?: string | Record<string, string>;
  exports?: unknown;
  files?: string[];
  repository?: { type?: string; url?: string; directory?: string };
  homepage?: string;
  bugs?: { url?: string };
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

export interface WorkspacePackage {
  /** The folder name under packages/: "fs-client" */
  short: string;
  dir: string;
  manifest: Manifest;
}

export function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, "utf8")) as T;
}

/** Every package under packages/, public or private. */
export function workspacePackages(): WorkspacePackage[] {
  const base = path.join(ROOT, "packages");
  return readdirSync(base)
    .filter((short) => existsSync(path.join(base, short, "package.json")))
    .map((short) => ({
      short,
      dir: path.join(base, short),
      manifest: readJson<Manifest>(path.join(base, short, "package.json")),
    }));
}

export const publicPackages = (): WorkspacePackage[] =>
  workspacePackages().filter((p) => !p.manifest.private);

export interface Packed extends WorkspacePackage {
  tarball: string;
  /** The tarball unpacked: its `package/` folder. */
  unpacked: string;
  packedManifest: Manifest;
}

/** `pnpm pack` of every public package (as `pnpm publish` would pack it), each tarball also unpacked. */
export async function packAll(dest: string): Promise<Packed[]> {
  mkdirSync(dest, { recursive: true });
  const packed: Packed[] = [];
  for (const pkg of publicPackages()) {
    const before = new Set(readdirSync(dest));
    await run("pnpm", ["pack", "--pack-destination", dest], { cwd: pkg.dir, timeoutMs: 60_000 });
    const tarballs = readdirSync(dest).filter((f) => f.endsWith(".tgz") && !before.has(f));
    if (tarballs.length !== 1)
      throw new Error(`pnpm pack of ${pkg.manifest.name} made ${tarballs.length} tarballs`);
    const tarball = path.join(dest, tarballs[0] ?? "");
    const unpackedDir = path.join(dest, `unpacked-${pkg.short}`);
    mkdirSync(unpackedDir, { recursive: true });
    await run("tar", ["-xzf", tarball, "-C", unpackedDir], { cwd: dest });
    const unpacked = path.join(unpackedDir, "package");
    packed.push({ ...pkg, tarball, unpacked, packedManifest: readJson(path.join(unpacked, "package.json")) });
  }
  return packed;
}

/** Every file of an unpacked tarball, relative to its `package/` folder, with `/` separators. */
export function filesOf(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesOf(full, base) : [path.relative(base, full).split(path.sep).join("/")];
  });
}

/** The packed packages described by the global setup, with their manifests read again in this worker. */
export function packedFrom(
  list: { short: string; dir: string; tarball: string; unpacked: string }[],
): Packed[] {
  return list.map((p) => ({
    ...p,
    manifest: readJson<Manifest>(path.join(p.dir, "package.json")),
    packedManifest: readJson<Manifest>(path.join(p.unpacked, "package.json")),
  }));
}
