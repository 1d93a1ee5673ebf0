import { chmodSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import module from "node:module";
import path from "node:path";
import { configDir } from "./config/config-file.js";

/**
 * Where `adl` keeps V8's compiled code of its own modules between runs: `CONFIG_DIR/compile-cache/VERSION/`,
 * owner-only. Per user (not Node's default, a directory in the shared temp dir) and per adl version, so an upgrade
 * starts a fresh one and the old version's is removed. It holds only code compiled from adl's bundle: no setting,
 * token or secret ever passes through it.
 */
export function compileCacheDirectory(configDirectory: string, version: string): string {
  return path.join(configDirectory, "compile-cache", version.replace(/[^A-Za-z0-9._+-]/g, "_"));
}

/**
 * Turns on Node's module compile cache (Node >= 22.1) in the directory above: most of a short command's start-up
 * is compiling modules, and the cache skips that on every run after the first. Anything in the way (a read-only
 * home, a path that is a file) leaves it off: the command then runs as it would without it.
 */
export function enableCompileCache(env: NodeJS.ProcessEnv, version: string): void {
  if (typeof module.enableCompileCache !== "function") return;
  const dir = compileCacheDirectory(configDir(env), version);
  const parent = path.dirname(dir);
  try {
    const created = mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (created !== undefined) {
      // A new version's first run: owner-only also where mkdir did not create (an older config directory), and
      // the caches of other versions go.
      chmodSync(parent, 0o700);
      chmodSync(dir, 0o700);
      for (const other of readdirSync(parent)) {
        if (other !== path.basename(dir)) rmSync(path.join(parent, other), { recursive: true, force: true });
      }
    }
  } catch {
    return;
  }
  module.enableCompileCache(dir);
}
