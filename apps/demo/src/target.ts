import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  ClientSecretCredential,
  type Cloud,
  chinaCloud,
  emulatorCloud,
  publicCloud,
  usGovCloud,
} from "@adlkit/auth";
import { startEmulator } from "@adlkit/emulator";
import type { TokenCredential } from "@azure/core-auth";

/** Where the walkthrough runs: the embedded emulator, or a real cloud described by environment variables. */
export interface Target {
  cloud: Cloud;
  credential: TokenCredential;
  subscriptionId: string;
  tenantId: string;
  describe: string;
  stop(): Promise<void>;
}

const PRESETS: Record<string, Cloud> = { public: publicCloud, china: chinaCloud, usgov: usGovCloud };

/**
 * With `ADLKIT_CLOUD=public|china|usgov` and `AZURE_TENANT_ID`, `AZURE_CLIENT_ID`, `AZURE_CLIENT_SECRET`,
 * `AZURE_SUBSCRIPTION_ID` set, the same code runs against Azure; otherwise it starts an emulator in-process on
 * a free port with a throw-away data directory, and stops it at the end.
 */
export async function chooseTarget(env: NodeJS.ProcessEnv): Promise<Target> {
  const cloudName = env.ADLKIT_CLOUD?.toLowerCase();
  if (cloudName && cloudName !== "emulator") {
    const cloud = PRESETS[cloudName];
    if (!cloud)
      throw new Error(
        `ADLKIT_CLOUD must be one of public, china, usgov or emulator, got '${env.ADLKIT_CLOUD}'`,
      );
    const missing = [
      "AZURE_TENANT_ID",
      "AZURE_CLIENT_ID",
      "AZURE_CLIENT_SECRET",
      "AZURE_SUBSCRIPTION_ID",
    ].filter((n) => !env[n]);
    if (missing.length) throw new Error(`to run against ${cloudName}, set ${missing.join(", ")}`);
    return {
      cloud,
      credential: new ClientSecretCredential(
        env.AZURE_TENANT_ID!,
        env.AZURE_CLIENT_ID!,
        env.AZURE_CLIENT_SECRET!,
        { cloud },
      ),
      subscriptionId: env.AZURE_SUBSCRIPTION_ID!,
      tenantId: env.AZURE_TENANT_ID!,
      describe: `Azure (${cloudName})`,
      async stop() {},
    };
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), "adlkit-demo-"));
  const emulator = await startEmulator({ port: 0, dataDir });
  const c = emulator.connection;
  const cloud = emulatorCloud({ ...c, caPem: emulator.caPem });
  return {
    cloud,
    credential: new ClientSecretCredential(c.tenantId, c.clientId, c.clientSecret, { cloud }),
    subscriptionId: c.subscriptionId,
    tenantId: c.tenantId,
    describe: `the embedded emulator at ${emulator.url}`,
    async stop() {
      await emulator.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
