import { clearTokenCache } from "@adlkit/auth";
import { getProfile, loadConfig } from "../config/config-file.js";
import { tokenCacheDirectory, tokenCachePartition } from "../config/token-cache.js";
import type { Context } from "../context.js";
import { UsageError } from "../errors.js";
import type { Result } from "../result.js";

/**
 * `adl profile logout [NAME] [--all]`: forgets the tokens kept between runs — of NAME, else of the profile in use
 * (`--profile`, ADL_PROFILE, the current one), else of the settings that come from no profile; `--all`: every
 * profile's. The profile itself stays; the next command asks Entra ID for a new token.
 */
export async function logout(options: { name?: string; all?: boolean }, ctx: Context): Promise<Result> {
  const directory = tokenCacheDirectory(ctx.configDir);
  if (options.all) {
    if (options.name) throw new UsageError("give a profile NAME or --all, not both");
    const files = await clearTokenCache(directory);
    return {
      kind: "message",
      message: `Removed the cached tokens of every profile (${plural(files)}).`,
      data: { profile: null, all: true, removedFiles: files },
    };
  }
  const config = await loadConfig(ctx.configDir);
  const name = options.name ?? ctx.globals.profile ?? ctx.env.ADL_PROFILE ?? config.current;
  if (name !== undefined) getProfile(config, name);
  const files = await clearTokenCache(directory, tokenCachePartition(name));
  return {
    kind: "message",
    message: `Removed the cached tokens of ${name === undefined ? "the settings outside any profile" : `profile ${name}`} (${plural(files)}).`,
    data: { profile: name ?? null, all: false, removedFiles: files },
  };
}

/** After `profile add` replaces a profile or `profile remove` deletes it: its old tokens must not be served. */
export async function forgetProfileTokens(configDir: string, name: string): Promise<void> {
  await clearTokenCache(tokenCacheDirectory(configDir), tokenCachePartition(name));
}

function plural(files: number): string {
  return `${files} file${files === 1 ? "" : "s"}`;
}
