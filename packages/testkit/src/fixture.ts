import { readFileSync } from "node:fs";
import type { ConnectionInfo } from "@adlkit/emulator";
import { inject } from "vitest";
import "./provided-context.js";

/** What a test needs from the shared emulator: its connection details and CA. */
export interface EmulatorFixture {
  connection: ConnectionInfo;
  connectionFile: string;
  caPem: string;
}

/** Reads the fixture from a connection file. */
export function readFixture(connectionFile: string): EmulatorFixture {
  const connection = JSON.parse(readFileSync(connectionFile, "utf8")) as ConnectionInfo;
  return { connection, connectionFile, caPem: readFileSync(connection.caCertificatePath, "utf8") };
}

/** The shared emulator started by `@adlkit/testkit/global-setup`. */
export function sharedEmulator(): EmulatorFixture {
  return readFixture(inject("emulatorConnectionFile"));
}
