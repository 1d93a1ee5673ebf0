import { readFileSync } from "node:fs";
import { chmod, mkdir, open, rename, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { CliError } from "../errors.js";

export const CLOUD_NAMES = ["public", "china", "usgov", "emulator"] as const;
export type CloudName = (typeof CLOUD_NAMES)[number];

/** One named set of settings. Secrets appear only as `clientSecret`, and the file is owner-only. */
export interface Profile {
  cloud?: CloudName | undefined;
  tenantId?: string | undefined;
  clientId?: string | undefined;
  /** Stored only when given to `profile add --client-secret`; never printed. */
  clientSecret?: string | undefined;
  /** Path to a PEM with the certificate and its private key (the key is not copied). */
  certificate?: string | undefined;
  /** Sign in as the host's managed identity: "system", or a user-assigned identity's client id. */
  managedIdentity?: string | undefined;
  subscriptionId?: string | undefined;
  /** Default account of `adl fs`. */
  account?: string | undefined;
  /**
   * Absolute path of an emulator's `connection.json`. Tenant, client, secret, subscription and CA are read
   * from it on every run, so they are never copied here and stay right when the emulator restarts.
   */
  emulatorConnectionFile?: string | undefined;
}

export interface ConfigFile {
  version: 1;
  current?: string | undefined;
  profiles: Record<string, Profile>;
}

/** `ADL_CONFIG_DIR`, else `$XDG_CONFIG_HOME/adlkit`, else `%APPDATA%\adlkit` on Windows, else `~/.config/adlkit`. */
export function configDir(env: NodeJS.ProcessEnv): string {
  if (env.ADL_CONFIG_DIR) return path.resolve(env.ADL_CONFIG_DIR);
  if (env.XDG_CONFIG_HOME) return path.join(env.XDG_CONFIG_HOME, "adlkit");
  if (process.platform === "win32" && env.APPDATA) return path.join(env.APPDATA, "adlkit");
  return path.join(env.HOME || os.homedir(), ".config", "adlkit");
}

export function configPath(dir: string): string {
  return path.join(dir, "config.json");
}

const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function checkProfileName(name: string): string {
  if (!PROFILE_NAME.test(name)) {
    throw new CliError(`invalid profile name '${name}'`, {
      code: "INVALID_PROFILE_NAME",
      hint: "Use letters, digits, '.', '_' and '-' (at most 64).",
      exitCode: 2,
    });
  }
  return name;
}

/**
 * The config file, or an empty one when there is none yet. Read in one call: every command waits for it, and
 * fs/promises would read a small file in four round trips through the thread pool.
 */
export async function loadConfig(dir: string): Promise<ConfigFile> {
  const file = configPath(dir);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { version: 1, profiles: {} };
    throw err;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as Error).message}`, {
      code: "CONFIG_INVALID",
      hint: "Fix or remove the file; `adl profile add` writes a new one.",
    });
  }
  const config = parsed as Partial<ConfigFile>;
  if (
    typeof config !== "object" ||
    config === null ||
    typeof config.profiles !== "object" ||
    config.profiles === null
  ) {
    throw new CliError(`cannot read ${file}: expected { "version": 1, "profiles": { … } }`, {
      code: "CONFIG_INVALID",
      hint: "Fix or remove the file; `adl profile add` writes a new one.",
    });
  }
  return { version: 1, current: config.current, profiles: config.profiles };
}

/** How long a lock may stand before it counts as left by an adl that died, and how long to wait for one. */
const LOCK_STALE_MS = 10_000;
const LOCK_WAIT_MS = 15_000;

/**
 * Reads the config, lets `change` edit it, and writes it back, holding `config.json.lock` (created exclusively)
 * throughout: two `adl profile …` at once then both land, where the later writer would otherwise drop what the
 * other one wrote between its read and its write. Resolves to the file written and what `change` returned.
 */
export async function updateConfig<T>(
  dir: string,
  change: (config: ConfigFile) => T | Promise<T>,
): Promise<{ file: string; result: T }> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const lock = `${configPath(dir)}.lock`;
  const handle = await acquireLock(lock);
  try {
    const config = await loadConfig(dir);
    const result = await change(config);
    return { file: await saveConfig(dir, config), result };
  } finally {
    await handle.close();
    await rm(lock, { force: true });
  }
}

async function acquireLock(lock: string) {
  const giveUp = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      return await open(lock, "wx", 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const since = await stat(lock).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0, // gone meanwhile: try again at once
    );
    if (since > LOCK_STALE_MS) await rm(lock, { force: true });
    else if (Date.now() > giveUp) {
      throw new CliError(`another adl is changing the config file (${lock} exists)`, {
        code: "CONFIG_LOCKED",
        hint: `Try again; if no other adl runs, remove ${lock}.`,
      });
    } else await sleep(20);
  }
}

/**
 * Writes the config owner-only (0600, directory 0700): a temp file in the same directory, chmod, then an
 * atomic rename, so the secret is never readable by others, not even for a moment.
 */
async function saveConfig(dir: string, config: ConfigFile): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = configPath(dir);
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  await chmod(temp, 0o600);
  await rename(temp, file);
  return file;
}

export function getProfile(config: ConfigFile, name: string): Profile {
  const profile = config.profiles[name];
  if (!profile) {
    const known = Object.keys(config.profiles);
    throw new CliError(`no profile named '${name}'`, {
      code: "PROFILE_NOT_FOUND",
      hint:
        known.length > 0 ? `Known profiles: ${known.join(", ")}.` : "Add one with `adl profile add NAME`.",
      exitCode: 3,
    });
  }
  return profile;
}
