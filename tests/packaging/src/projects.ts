// Fresh projects the way a user makes them: an empty folder with a package.json, where `npm install` or
// `pnpm add` brings in our packages from the local registry (only the @adlkit scope points there; everything
// else comes from the registry the machine is configured with, through the usual caches).
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { run } from "./exec.js";
import type { InstallCommand } from "./readme.js";
import { ROOT } from "./workspace.js";

export type Manager = "npm" | "pnpm";

export interface Project {
  dir: string;
  manager: Manager;
  /** The environment to run the project's commands in (PATH has the global bin folder when there is one). */
  env: NodeJS.ProcessEnv;
  /** Where a global install put the package's files, else undefined. */
  globalPackageDir?: string;
  installMs: number;
}

/**
 * The environment of a user's shell: nothing of the pnpm/turbo/vitest process this test runs in (npm_config_*,
 * the workspace's node_modules/.bin with its own `adl`), only Node and pnpm from tools/. NODE_EXTRA_CA_CERTS
 * stays: a machine may need it to reach its registry, and it never holds the emulator's CA (each test makes
 * its own), so the quick starts still prove that our clients trust the emulator through its cloud.
 */
export function userEnv(extraPath: string[] = []): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|pnpm_|turbo_|vitest|INIT_CWD$|NODE_OPTIONS$|NODE_PATH$)/i.test(key)) continue;
    env[key] = value;
  }
  const system = (process.env.PATH ?? "")
    .split(path.delimiter)
    .filter(
      (dir) => dir && !dir.includes(`${path.sep}node_modules${path.sep}`) && !dir.endsWith("node_modules"),
    );
  const tools = path.join(ROOT, "tools", "node_modules", ".bin");
  env.PATH = [...extraPath, path.dirname(process.execPath), tools, ...system].join(path.delimiter);
  env.NO_COLOR = "1";
  env.NO_UPDATE_NOTIFIER = "1";
  return env;
}

export async function createProject(
  root: string,
  name: string,
  manager: Manager,
  registryUrl: string,
  install: InstallCommand,
): Promise<Project> {
  const dir = path.join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, "package.json"),
    `${JSON.stringify({ name, version: "1.0.0", private: true, type: "module" }, null, 2)}\n`,
  );
  const scope = `@adlkit:registry=${registryUrl}`;
  writeFileSync(path.join(dir, ".npmrc"), `${scope}\n`);
  // --prefer-offline: metadata already in the machine's cache is used without asking again (our packages are
  // new on every run, so always fetched); it saves most of an install's time and changes nothing it resolves.
  const quiet =
    manager === "npm"
      ? ["--no-audit", "--no-fund", "--no-update-notifier", "--prefer-offline"]
      : ["--prefer-offline"];
  let env = userEnv();
  let args: string[];
  let globalPackageDir: string | undefined;
  const [pkg] = install.packages;
  if (install.global) {
    // A global install that writes only under the project: npm's prefix, pnpm's PNPM_HOME. Neither reads the
    // project's .npmrc in global mode, so the scope's registry is given on the command line.
    if (manager === "npm") {
      const prefix = path.join(dir, "global");
      env = userEnv([path.join(prefix, "bin")]);
      args = ["install", "--global", "--prefix", prefix, `--${scope}`, ...quiet, ...install.packages];
      globalPackageDir = path.join(prefix, "lib", "node_modules", pkg ?? "");
    } else {
      const home = path.join(dir, "pnpm-home");
      env = { ...userEnv([path.join(home, "bin")]), PNPM_HOME: home };
      args = ["add", "--global", `--config.${scope}`, ...quiet, ...install.packages];
    }
  } else if (manager === "npm") {
    args = ["install", ...(install.dev ? ["--save-dev"] : []), ...quiet, ...install.packages];
  } else {
    args = ["add", ...(install.dev ? ["--save-dev"] : []), ...quiet, ...install.packages];
  }
  const result = await run(manager, args, {
    cwd: dir,
    env,
    timeoutMs: Number(process.env.ADLKIT_INSTALL_TIMEOUT_MS ?? 240_000),
  });
  return { dir, manager, env, installMs: result.ms, ...(globalPackageDir ? { globalPackageDir } : {}) };
}
