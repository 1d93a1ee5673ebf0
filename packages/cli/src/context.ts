import type { Readable, Writable } from "node:stream";
import type { ArmClient } from "@adlkit/arm-client";
import type { FsClient } from "@adlkit/fs-client";
import type { TokenCredential } from "@azure/core-auth";
import type { GlobalOptions, Settings } from "./config/settings.js";
import type { Progress } from "./output/progress.js";

export type Out = Writable & { isTTY?: boolean | undefined };
export type In = Readable & { isTTY?: boolean | undefined };

/** Everything a command may use besides its own options. Clients are built lazily, once, on first use. */
export interface Context {
  readonly globals: GlobalOptions;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly stdin: In;
  readonly stdout: Out;
  readonly stderr: Out;
  /** Aborted on Ctrl-C (SIGINT) or SIGTERM. */
  readonly signal: AbortSignal;
  /** Where config.json lives. */
  readonly configDir: string;
  readonly version: string;
  readonly progress: Progress;
  /** Settings from flags, environment and profiles (reads config.json and the emulator's connection.json). */
  settings(): Promise<Settings>;
  credential(): Promise<TokenCredential>;
  arm(): Promise<ArmClient>;
  fs(): Promise<FsClient>;
  /** Literal secrets in play (client secret, emulator admin key): redacted from anything printed. */
  secrets(): readonly string[];
  /** A notice for humans on stderr (nothing under --json). */
  note(text: string): void;
}
