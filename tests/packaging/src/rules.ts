// The rules every published tarball follows, checked on what `pnpm pack` really produced (the packed manifest
// and files), not on the workspace's package.json. Each returns the problems it found, in words.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { declaredFloor, derivedFloor } from "./floors.js";
import { filesOf, type Manifest, type Packed, ROOT, readJson, workspacePackages } from "./workspace.js";

const DEPENDENCY_FIELDS = [
  "dependencies",
  "peerDependencies",
  "optionalDependencies",
  "devDependencies",
] as const;

export function licenceProblems(p: Packed): string[] {
  const problems: string[] = [];
  if (p.packedManifest.license !== "MIT") problems.push(`license is ${p.packedManifest.license}, not MIT`);
  const file = path.join(p.unpacked, "LICENSE");
  if (!existsSync(file)) problems.push("no LICENSE file in the tarball");
  else if (readFileSync(file, "utf8") !== readFileSync(path.join(ROOT, "LICENSE"), "utf8"))
    problems.push("its LICENSE differs from the repository's");
  return problems;
}

export function metadataProblems(p: Packed): string[] {
  const m = p.packedManifest;
  const problems: string[] = [];
  const repo = m.repository?.url?.replace(/^git\+/, "").replace(/\.git$/, "");
  if (m.repository?.type !== "git" || !repo?.startsWith("https://"))
    problems.push("repository is not a git https URL");
  if (m.repository?.directory !== `packages/${p.short}`)
    problems.push(`repository.directory is ${m.repository?.directory}, not packages/${p.short}`);
  if (!repo || !m.homepage?.startsWith(repo))
    problems.push(`homepage ${m.homepage} is not in the repository`);
  if (!repo || !m.bugs?.url?.startsWith(repo))
    problems.push(`bugs.url ${m.bugs?.url} is not the repository's`);
  return problems;
}

export function dependencyProblems(p: Packed): string[] {
  const m = p.packedManifest;
  const problems: string[] = [];
  const privateNames = new Set(
    workspacePackages()
      .filter((w) => w.manifest.private)
      .map((w) => w.manifest.name),
  );
  if (m.devDependencies) problems.push("the packed manifest still lists devDependencies");
  for (const field of DEPENDENCY_FIELDS) {
    for (const [name, range] of Object.entries(m[field] ?? {})) {
      if (range.startsWith("workspace:"))
        problems.push(`${field}.${name} is ${range} (not rewritten by pack)`);
      if (privateNames.has(name)) problems.push(`${field}.${name} is a private package, on no registry`);
      if (name.startsWith("@adlkit/") && !/^\^\d+\.\d+\.\d+$/.test(range))
        problems.push(
          `${field}.${name} is ${range}: internal dependencies take a ^ range, so versions share one copy`,
        );
    }
  }
  return problems;
}

export function engineProblems(p: Packed): string[] {
  const declared = declaredFloor(p.packedManifest.engines?.node);
  if (!declared) return [`engines.node is ${p.packedManifest.engines?.node}, not ">=X.Y.Z"`];
  const floor = derivedFloor(p);
  return declared === floor.version
    ? []
    : [`engines.node says >=${declared}, but the floor is ${floor.version}, set by ${floor.reason}`];
}

/** The CLI is a bundle: nothing to install beside it, and the licences of what it bundles travel with it. */
export function cliProblems(p: Packed): string[] {
  const m = p.packedManifest;
  const problems: string[] = [];
  for (const field of ["dependencies", "peerDependencies", "optionalDependencies"] as const) {
    const count = Object.keys(m[field] ?? {}).length;
    if (count > 0) problems.push(`${field} has ${count} entries; the bundle needs none`);
  }
  const bins = typeof m.bin === "string" ? [m.bin] : Object.values(m.bin ?? {});
  for (const bin of bins) {
    const file = path.join(p.unpacked, bin);
    if (!existsSync(file)) problems.push(`bin ${bin} is not in the tarball`);
    else if (!readFileSync(file, "utf8").startsWith("#!/usr/bin/env node\n"))
      problems.push(`bin ${bin} has no shebang`);
  }
  const notices = path.join(p.unpacked, "bundle", "THIRD_PARTY_NOTICES.md");
  if (!existsSync(notices)) problems.push("no bundle/THIRD_PARTY_NOTICES.md");
  else {
    const text = readFileSync(notices, "utf8");
    const workspace = workspacePackages().find((w) => w.short === p.short)?.manifest as Manifest;
    const bundled = Object.keys(workspace.devDependencies ?? {}).filter(
      (d) => !d.startsWith("@adlkit/") && !/^(esbuild|vitest|@types\/|@azure\/core-auth$)/.test(d),
    );
    for (const name of ["undici", "@azure/msal-node", ...bundled])
      if (!text.includes(`- ${name}@`)) problems.push(`THIRD_PARTY_NOTICES.md does not list ${name}`);
  }
  const outside = filesOf(p.unpacked).filter(
    (f) => !f.startsWith("bundle/") && !["package.json", "README.md", "LICENSE"].includes(f),
  );
  if (outside.length > 0) problems.push(`files beside the bundle: ${outside.join(", ")}`);
  return problems;
}

/**
 * Source maps are fine only if what they point at ships: every `sourceMappingURL` names a file in the tarball,
 * and every map's sources are in it too (or inlined as `sourcesContent`). Ours ship none.
 */
export function mapProblems(p: Packed): string[] {
  const problems: string[] = [];
  const files = new Set(filesOf(p.unpacked));
  for (const file of files) {
    const full = path.join(p.unpacked, file);
    if (/\.(js|mjs|cjs|ts)$/.test(file)) {
      const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(full, "utf8"))?.[1];
      if (url && !url.startsWith("data:")) {
        const target = path.posix.join(path.posix.dirname(file), url);
        if (!files.has(target)) problems.push(`${file} points at ${url}, not shipped`);
      }
    }
    if (file.endsWith(".map")) {
      const map = readJson<{ sources?: string[]; sourcesContent?: (string | null)[] }>(full);
      (map.sources ?? []).forEach((source, i) => {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), source));
        if (!files.has(target) && !map.sourcesContent?.[i])
          problems.push(`${file}: source ${source} is not shipped`);
      });
    }
  }
  return problems;
}
