import { readFileSync } from "node:fs";
import type { ConnectionInfo } from "@adlkit/emulator";

/** What a test needs from the shared emulator: its connection details and CA. */
export interface EmulatorFixture {
  connection: ConnectionInfo;
  connectionFile: string;
  caPem: string;
}

/** Reads the fixture from a connection file (the global setup passes its path through `inject("emulatorConnectionFile")`). */
export function readFixture(connectionFile: string): EmulatorFixture {
  const connection = JSON.parse(readFileSync(connectionFile, "utf8")) as ConnectionInfo;
  return { connection, connectionFile, caPem: readFileSync(connection.caCertificatePath, "utf8") };
}
