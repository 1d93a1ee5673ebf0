import { readFileSync } from "node:fs";
import path from "node:path";
import type { ArmClient } from "@adlkit/arm-client";
import type { Cloud, Logger } from "@adlkit/core";
import type { FsClient } from "@adlkit/fs-client";
import type { TokenCredential } from "@azure/core-auth";
import { configDir, loadConfig } from "./config/config-file.js";
import {
  type EmulatorConnectionFields,
  type GlobalOptions,
  requireAccount,
  requireCredential,
  requireSubscription,
  resolveSettings,
  type Settings,
} from "./config/settings.js";
import { tokenCacheDirectory, tokenCachePartition } from "./config/token-cache.js";
import type { Context, In, Out } from "./context.js";
import { CliError, type ErrorContext } from "./errors.js";
import { createFsLocations, type FsLocations } from "./fs-locations.js";
import { createProgress } from "./output/progress.js";

interface EmulatorConnectionFile extends EmulatorConnectionFields {
  url: string;
  dataLakeDnsSuffix: string;
  /** Gen2 storage accounts answer at `{account}.dfs.{storageEndpointSuffix}` (older emulators: the Gen1 suffix). */
  storageEndpointSuffix?: string;
  storageAudience?: string;
  resourceManagerAudience?: string;
  dataLakeAudience?: string;
  caCertificatePath: string;
  adminKey?: string;
  managedIdentity?: { header?: string };
}

export interface ContextInput {
  globals: GlobalOptions;
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdin: In;
  stdout: Out;
  stderr: Out;
  signal: AbortSignal;
  version: string;
}

export interface RuntimeContext extends Context {
  /** Closes the clients that were created. */
  dispose(): Promise<void>;
  /** What an error message may name: the cloud, account and emulator in use, once the settings were read. */
  errorContext(): ErrorContext;
}

/** The runtime context: settings, credential and clients are built on first use and then reused. */
export function createContext(input: ContextInput): RuntimeContext {
  const { globals, env } = input;
  const secrets = new Set<string>();
  if (globals.clientSecret) secrets.add(globals.clientSecret);
  if (env.AZURE_CLIENT_SECRET) secrets.add(env.AZURE_CLIENT_SECRET);
  let settingsPromise:
    | Promise<{ settings: Settings; connection: EmulatorConnectionFile | undefined }>
    | undefined;
  let cloudPromise: Promise<Cloud> | undefined;
  let credentialPromise: Promise<TokenCredential> | undefined;
  let armPromise: Promise<ArmClient> | undefined;
  let fsPromise: Promise<FsClient> | undefined;
  const dir = configDir(env);
  const known: ErrorContext = {};
  const showProgress = !globals.json && !globals.quiet && input.stderr.isTTY === true;

  let loggerPromise: Promise<Partial<Logger> | undefined> | undefined;
  const logger = () => {
    loggerPromise ??= (async () => {
      const level = globals.debug ? "verbose" : globals.verbose ? "info" : undefined;
      if (!level) return undefined;
      const { createLogger, redactText } = await import("@adlkit/core");
      return createLogger("adl", level, (line) => {
        input.stderr.write(`${redactText(line, [...secrets])}\n`);
      });
    })();
    return loggerPromise;
  };

  const load = () => {
    settingsPromise ??= (async () => {
      const config = await loadConfig(dir);
      const first = resolveSettings({ flags: globals, env, config, cwd: input.cwd });
      let connection: EmulatorConnectionFile | undefined;
      if (first.cloud === "emulator") {
        const file = first.emulatorConnectionFile;
        if (!file) {
          throw new CliError(
            "the emulator cloud needs the emulator's connection.json: pass --emulator DIR or set ADL_EMULATOR",
            {
              code: "EMULATOR_CONNECTION_MISSING",
              hint: "Start one with `adl emulator start --data DIR`, then `adl profile add NAME --from-emulator DIR`.",
            },
          );
        }
        connection = await readConnection(file);
        for (const s of [connection.clientSecret, connection.adminKey, connection.managedIdentity?.header])
          if (s) secrets.add(s);
      }
      const settings = connection
        ? resolveSettings({ flags: globals, env, config, connection, cwd: input.cwd })
        : first;
      if (settings.clientSecret) secrets.add(settings.clientSecret);
      Object.assign(known, {
        cloud: settings.cloud,
        account: settings.account,
        ...(connection && settings.emulatorConnectionFile
          ? { emulatorUrl: connection.url, emulatorDir: path.dirname(settings.emulatorConnectionFile) }
          : {}),
      });
      // The host's managed-identity endpoint secret (App Service, Service Fabric, Cloud Shell) is one too.
      for (const name of ["IDENTITY_HEADER", "MSI_SECRET"]) if (env[name]) secrets.add(env[name] as string);
      return { settings, connection };
    })();
    return settingsPromise;
  };

  const cloud = () => {
    cloudPromise ??= (async () => {
      const { settings, connection } = await load();
      const core = await import("@adlkit/core");
      if (settings.cloud === "emulator" && connection) {
        const caPem = readFileSync(connection.caCertificatePath, "utf8");
        return core.emulatorCloud({ ...connection, caPem });
      }
      return core.cloudByName(settings.cloud);
    })();
    return cloudPromise;
  };

  const credential = () => {
    credentialPromise ??= (async () => {
      const { settings } = await load();
      const spec = requireCredential(settings);
      const [auth, c, log] = await Promise.all([import("@adlkit/auth"), cloud(), logger()]);
      const options = { cloud: c, ...(log ? { logger: log } : {}) };
      // Tokens kept between runs (not for managed identity: msal-node caches those in memory only).
      const cached = {
        ...options,
        ...(globals.tokenCache === false
          ? {}
          : {
              tokenCache: {
                directory: tokenCacheDirectory(dir),
                partition: tokenCachePartition(settings.profileName),
                onWarning: (message: string) => {
                  if (!globals.quiet) input.stderr.write(`adl: warning: ${message}\n`);
                },
              },
            }),
      };
      switch (spec.kind) {
        case "secret":
          return new auth.ClientSecretCredential(spec.tenantId, spec.clientId, spec.clientSecret, cached);
        case "certificate":
          return new auth.ClientCertificateCredential(
            spec.tenantId,
            spec.clientId,
            spec.certificatePath,
            cached,
          );
        case "managed-identity":
          return new auth.ManagedIdentityCredential({
            ...options,
            ...(spec.clientId ? { clientId: spec.clientId } : {}),
          });
      }
    })();
    return credentialPromise;
  };

  /** What both clients take alike: the credential, the cloud and, with --debug, the logger. */
  const clientOptions = async () => {
    const [cred, c, log] = await Promise.all([credential(), cloud(), logger()]);
    return { credential: cred, cloud: c, ...(log ? { logger: log } : {}) };
  };

  let locations: FsLocations | undefined;

  const ctx: RuntimeContext = {
    ...input,
    configDir: dir,
    progress: createProgress(input.stderr, showProgress),
    settings: async () => (await load()).settings,
    credential,
    arm() {
      armPromise ??= (async () => {
        const { settings } = await load();
        requireCredential(settings); // credentials first: they are the more basic thing to be missing
        const subscriptionId = requireSubscription(settings);
        const [{ createArmClient }, common] = await Promise.all([
          import("@adlkit/arm-client"),
          clientOptions(),
        ]);
        return createArmClient({ ...common, subscriptionId, userAgentPrefix: `adl/${input.version}` });
      })();
      return armPromise;
    },
    fs() {
      fsPromise ??= (async () => {
        const { settings } = await load();
        const accountName = requireAccount(settings);
        const [{ createFsClient }, common] = await Promise.all([
          import("@adlkit/fs-client"),
          clientOptions(),
        ]);
        return createFsClient({
          ...common,
          accountName,
          // adl owns its process and does one command, so the process-wide GC pacing is ours to turn on, as the
          // benchmark's child does: downloads (`get`, `cat`, …) then free each TLS record's Buffer at once instead
          // of holding tens of MiB until a full collection (bulk-io's README has the measured trade-off). Other
          // commands stream nothing through it, so it costs them nothing.
          gcPacing: true,
        });
      })();
      return fsPromise;
    },
    fsAt(location) {
      locations ??= createFsLocations({
        cloud,
        clientOptions,
        defaultFs: () => ctx.fs(),
        defaultAccount: async () => (await load()).settings.account,
      });
      return locations.at(location);
    },
    secrets: () => [...secrets],
    errorContext: () => ({
      ...known,
      ...(locations ? { filesystems: locations.filesystems() } : {}),
    }),
    note(text) {
      if (!globals.json) input.stderr.write(`${text}\n`);
    },
    async dispose() {
      const closing: Array<Promise<void>> = [];
      for (const p of [armPromise, fsPromise]) {
        if (p) closing.push(p.then((client) => client.close()).catch(() => {}));
      }
      if (locations) closing.push(locations.close());
      await Promise.all(closing);
    },
  };
  return ctx;
}

/** Reads an emulator's connection.json, with an error that says what to do when it is missing. */
export async function readConnection(file: string): Promise<EmulatorConnectionFile> {
  let text: string;
  try {
    text = readFileSync(file, "utf8"); // small, and awaited before anything else (as the config file)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") {
      throw new CliError(`no emulator connection file at ${file}`, {
        code: "EMULATOR_CONNECTION_MISSING",
        hint: "Start the emulator with `adl emulator start --data DIR` (it writes DIR/connection.json), or fix the path.",
      });
    }
    throw err;
  }
  try {
    return JSON.parse(text) as EmulatorConnectionFile;
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as Error).message}`, {
      code: "EMULATOR_CONNECTION_INVALID",
    });
  }
}
