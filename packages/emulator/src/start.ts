import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { AccountDirectory } from "./accounts.js";
import { createArmHandler } from "./arm/index.js";
import type { StorageAccountRegistry } from "./arm/storage/registry.js";
import { TokenVerifier } from "./auth/verify-bearer.js";
import { buildConnectionInfo, type ConnectionInfo, writeConnectionFile } from "./connection.js";
import { DataDirectoryLock } from "./data-lock.js";
import { createStorageHandler } from "./dfs/index.js";
import { FaultInjector } from "./faults.js";
import { acceptChunkedWithLength } from "./http/chunked-with-length.js";
import { admitRequest, EmulatorResponse } from "./http/connection-policy.js";
import type { EmulatorServices } from "./http/context.js";
import { IdentityStore } from "./identity/identity-store.js";
import { Journal } from "./journal.js";
import { type EmulatorConfig, type EmulatorOptions, loadConfig } from "./options.js";
import { createRequestListener } from "./server.js";
import { loadTls } from "./tls/server-tls.js";
import { createWebHdfsHandler } from "./webhdfs/index.js";

export interface RunningEmulator {
  /** `https://localhost:PORT` */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  readonly caPem: string;
  readonly connection: ConnectionInfo;
  readonly connectionFile: string;
  readonly services: EmulatorServices;
  /** The storage accounts of Resource Manager, as the Gen2 data plane sees them. */
  readonly storageAccounts: StorageAccountRegistry;
  /**
   * Stops accepting connections, lets the requests in flight finish (for up to `graceMs`, default 2 s; then their
   * connections are cut and their handlers wind down), and only then closes the stores.
   */
  close(options?: { graceMs?: number }): Promise<void>;
}

/** How long `close()` lets requests in flight finish before it cuts their connections. */
const CLOSE_GRACE_MS = 2000;

function adminKeyFor(dataDir: string): string {
  const file = path.join(dataDir, "identity", "admin-key");
  if (!existsSync(file)) {
    writeFileSync(file, randomBytes(24).toString("base64url"), { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return readFileSync(file, "utf8").trim();
}

/** Starts the emulator: one HTTPS server on loopback (127.0.0.1, and ::1 where available). */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const config = loadConfig(options);
  const dataDir = path.resolve(options.dataDir ?? ".adl-emulator");
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // Before anything in DIR is read or written: a second emulator on the same directory stops here, and
  // changes nothing (not even connection.json).
  const lock = DataDirectoryLock.acquire(dataDir);
  try {
    return await startInLockedDirectory(options, config, dataDir, lock);
  } catch (err) {
    lock.release();
    throw err;
  }
}

async function startInLockedDirectory(
  options: EmulatorOptions,
  config: EmulatorConfig,
  dataDir: string,
  lock: DataDirectoryLock,
): Promise<RunningEmulator> {
  const log = options.log ?? (() => {});
  const tlsMaterial = await loadTls(dataDir, { accountSuffix: suffixHostname(config.fsDnsSuffix) });
  const identity = await IdentityStore.open(dataDir, config);
  const accounts = new AccountDirectory(dataDir);
  for (const name of config.accounts)
    accounts.add(name, "config", identity.defaultApp.objectId, identity.defaultSubscription.id);

  let port = options.port ?? 0;
  const services: EmulatorServices = {
    dataDir,
    config,
    identity,
    accounts,
    journal: new Journal(),
    faults: new FaultInjector(),
    tokens: new TokenVerifier(identity, () => config.clockSkewSeconds),
    adminKey: adminKeyFor(dataDir),
  };
  services.faults.set(config.faults);
  const arm = createArmHandler(services);
  const filesystem = createWebHdfsHandler(services);
  const storage = createStorageHandler(services, arm.storageAccounts);
  const storageAccountExists = (name: string) => arm.storageAccounts.lookup(name) !== undefined;
  const handleRequest = createRequestListener(
    services,
    {
      arm: (ctx) => arm.handle(ctx),
      filesystem: (ctx, target) => filesystem.handle(ctx, target),
      storage: (ctx, target) => storage.handle(ctx, target),
      storageAccountExists,
    },
    () => port,
    log,
  );
  // Every request's handler, until it has returned: close() waits for them before it closes the stores.
  const inFlight = new Set<Promise<void>>();
  let closing = false;
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    // Once closing, every answer ends its connection, so kept-alive clients do not send more.
    if (closing) res.shouldKeepAlive = false;
    if (!admitRequest(req, res)) return;
    const handled = handleRequest(req, res).finally(() => inFlight.delete(handled));
    inFlight.add(handled);
  };
  const serverOptions: https.ServerOptions = {
    cert: tlsMaterial.server.certPem + tlsMaterial.caPem,
    key: tlsMaterial.server.keyPem,
    SNICallback: (servername, cb) => {
      tlsMaterial
        .contextFor(servername, (name) => accounts.has(name), storageAccountExists)
        .then(
          (context) => cb(null, context),
          (err: Error) => cb(err),
        );
    },
    ServerResponse: EmulatorResponse,
    keepAliveTimeout: 30_000,
    requestTimeout: 0, // multi-GiB uploads take as long as they take; idle sockets are closed by keepAliveTimeout
  };
  const servers = [https.createServer(serverOptions, listener)];
  await listen(servers[0]!, port, "127.0.0.1");
  port = (servers[0]!.address() as AddressInfo).port;
  // `localhost` may resolve to ::1 first; serve it too when the machine has IPv6 loopback.
  const v6 = https.createServer(serverOptions, listener);
  try {
    await listen(v6, port, "::1");
    servers.push(v6);
  } catch {
    // no IPv6 loopback here: 127.0.0.1 is enough
  }
  if (!servers.map(acceptChunkedWithLength).every(Boolean)) {
    log(
      "adl-emulator: this Node.js offers no way to accept requests with both Transfer-Encoding and Content-Length; they get 400",
    );
  }

  lock.setPort(port);
  const connection = buildConnectionInfo({
    port,
    identity,
    caPath: tlsMaterial.caPath,
    adminKey: services.adminKey,
    dnsSuffix: config.fsDnsSuffix,
  });
  const connectionFile = writeConnectionFile(dataDir, connection);
  let closed: Promise<void> | undefined;
  return {
    url: connection.url,
    port,
    dataDir,
    caPem: tlsMaterial.caPem,
    connection,
    connectionFile,
    services,
    storageAccounts: arm.storageAccounts,
    close(closeOptions) {
      closed ??= (async () => {
        closing = true;
        const stopped = servers.map(
          (server) => new Promise<void>((resolve) => server.close(() => resolve())),
        );
        for (const server of servers) server.closeIdleConnections();
        await settle(inFlight, closeOptions?.graceMs ?? CLOSE_GRACE_MS);
        // Whatever is still running (a slow client's upload or download) loses its connection; its handler then
        // fails on the closed stream and returns. The stores stay open until every handler has.
        for (const server of servers) server.closeAllConnections();
        await settle(inFlight, Number.POSITIVE_INFINITY);
        await Promise.all(stopped);
        filesystem.close();
        storage.close();
        arm.close();
        accounts.close();
        lock.release();
      })();
      return closed;
    },
  };
}

/** Resolves when `pending` is empty (handlers that start meanwhile included) or after `ms`. */
async function settle(pending: Set<Promise<void>>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    if (Number.isFinite(ms)) timer = setTimeout(resolve, ms);
  });
  let timedOut = false;
  void timeout.then(() => {
    timedOut = true;
  });
  try {
    while (pending.size > 0 && !timedOut) await Promise.race([Promise.allSettled([...pending]), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The host name of the host-style suffix (`fsDnsSuffix` is host[:port]; by default `localhost`). */
function suffixHostname(fsDnsSuffix: string | undefined): string {
  return (fsDnsSuffix ?? "localhost").replace(/:\d+$/, "");
}

function listen(server: https.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}
