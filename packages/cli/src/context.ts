import type { Readable, Writable } from "node:stream";
import type { ArmClient } from "@adlkit/arm-client";
import type { FsClient, Gen2FsClient } from "@adlkit/fs-client";
import type { TokenCredential } from "@azure/core-auth";
import type { GlobalOptions, Settings } from "./config/settings.js";
import type { Progress } from "./output/progress.js";

export type Out = Writable & { isTTY?: boolean | undefined };
export type In = Readable & { isTTY?: boolean | undefined };

/**
 * A remote path of an `fs` command, resolved: the client of its account (and filesystem) and the path in it.
 * `protocol` tells the clients apart (narrowing on it gives the protocol's own methods).
 */
export type FsTarget = (
  | { readonly protocol: "gen1"; readonly client: FsClient }
  | { readonly protocol: "gen2"; readonly client: Gen2FsClient }
) & {
  /** Absolute path inside the account (Gen1) or filesystem (Gen2). */
  readonly path: string;
  /** Which account (and filesystem): targets with the same store share a client, and can rename onto each other. */
  readonly store: string;
  /** A path of the same store as the user wrote the location: a plain path, or a URI. */
  show(path: string): string;
};

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
  /**
   * The client and path of an `fs` command's remote argument: `adl://ACCOUNT/path`, `abfss://FS@ACCOUNT/path`,
   * or a plain `/path` on the default account. Clients are made once per account (and filesystem) per command.
   */
  fsAt(location: string): Promise<FsTarget>;
  /** Literal secrets in play (client secret, emulator admin key): redacted from anything printed. */
  secrets(): readonly string[];
  /** A notice for humans on stderr (nothing under --json). */
  note(text: string): void;
}
