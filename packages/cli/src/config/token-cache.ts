import path from "node:path";

/**
 * Where `adl` keeps tokens between runs: `CONFIG_DIR/token-cache/PARTITION/`, one partition per profile, so two
 * profiles never read each other's tokens even when they name the same app. Settings that come from no profile
 * (flags or AZURE_* variables only) share the partition below, which no profile name can take (a profile name
 * starts with a letter or digit).
 */
export const NO_PROFILE = "_no-profile";

export function tokenCacheDirectory(configDir: string): string {
  return path.join(configDir, "token-cache");
}

export function tokenCachePartition(profileName: string | undefined): string {
  return profileName ?? NO_PROFILE;
}
