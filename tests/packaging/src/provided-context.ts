import type {} from "vitest";

export interface PackagingContext {
  /** The temporary folder everything lives in. */
  root: string;
  registryUrl: string;
  /** The shared emulator's data folder (connection.json, tls/ca.pem). */
  emulatorDir: string;
  /** The npm project @adlkit/emulator was installed into to run it. */
  emulatorHost: string;
  packed: { short: string; dir: string; tarball: string; unpacked: string }[];
}

declare module "vitest" {
  export interface ProvidedContext {
    packaging: PackagingContext;
  }
}
