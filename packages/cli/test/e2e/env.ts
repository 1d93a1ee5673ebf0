import { randomBytes } from "node:crypto";
import { sharedEmulator } from "@adlkit/testkit";
import { tempDir } from "../helpers.js";

/** Environment of a spawned `adl` pointed at the shared emulator, with its own empty config directory. */
export function emulatorEnv(extra: Record<string, string> = {}): Record<string, string> {
  const { connectionFile } = sharedEmulator();
  const home = tempDir("adl-cli-home-");
  return { HOME: home, ADL_CONFIG_DIR: `${home}/config`, ADL_EMULATOR: connectionFile, ...extra };
}

/** A name no other test uses: `prefix` + 8 lowercase hex characters. */
export function unique(prefix: string): string {
  return `${prefix}${randomBytes(4).toString("hex")}`;
}
