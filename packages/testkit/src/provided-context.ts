import type {} from "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    /** Path of the shared emulator's connection.json (set by `@adlkit/testkit/global-setup`). */
    emulatorConnectionFile: string;
  }
}
