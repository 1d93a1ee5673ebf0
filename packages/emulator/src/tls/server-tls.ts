import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import tls from "node:tls";
import { createCa, createServerCertificate, type PemPair } from "./certificates.js";

export interface TlsMaterial {
  caPath: string;
  caPem: string;
  /**
   * Secure context for a TLS server name: an existing account's host-style name (`{account}.{suffix}`, for which
   * `accountExists` says yes, or a storage account's `{account}.dfs.{suffix}` / `{account}.blob.{suffix}`, for
   * which `storageAccountExists` does) gets a certificate of its own, minted on first use (a wildcard covers one
   * label only); every other name gets the default certificate, with no work done for it.
   */
  contextFor(
    servername: string,
    accountExists: (name: string) => boolean,
    storageAccountExists?: (name: string) => boolean,
  ): Promise<tls.SecureContext>;
  defaultContext: tls.SecureContext;
  server: PemPair;
}

export interface TlsOptions {
  /** Host names the default certificate covers besides `localhost` and `*.localhost`. */
  extraHostnames?: string[];
  /** The host-style suffix (`fsDnsSuffix` without its port); accounts' names live under it. @default "localhost" */
  accountSuffix?: string;
  /** Account certificates kept (least recently used go first; a name dropped is minted again if it comes back). */
  maxAccountContexts?: number;
}

const BASE_DNS = ["localhost", "*.localhost"];
const BASE_IPS = ["127.0.0.1", "::1"];

/**
 * Loads DIR/tls (CA and server certificate), creating them on first start.
 * Clients rarely accept `*.localhost` (a wildcard directly under a top-level label), so each existing
 * account's `{account}.{suffix}` host name gets an exact-name certificate from the same CA on first use, via SNI.
 */
export async function loadTls(dataDir: string, options: TlsOptions = {}): Promise<TlsMaterial> {
  const extraHostnames = options.extraHostnames ?? [];
  const suffix = (options.accountSuffix ?? "localhost").toLowerCase();
  const maxContexts = options.maxAccountContexts ?? 256;
  const dir = path.join(dataDir, "tls");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const files = {
    ca: path.join(dir, "ca.pem"),
    caKey: path.join(dir, "ca-key.pem"),
    server: path.join(dir, "server.pem"),
    serverKey: path.join(dir, "server-key.pem"),
  };
  if (!existsSync(files.caKey)) {
    const ca = await createCa("adl-emulator local CA");
    writeFileSync(files.ca, ca.certPem);
    writeFileSync(files.caKey, ca.keyPem, { mode: 0o600 });
  }
  const ca: PemPair = { certPem: readFileSync(files.ca, "utf8"), keyPem: readFileSync(files.caKey, "utf8") };
  const dnsNames = [...new Set([...BASE_DNS, ...extraHostnames])];
  const wanted = dnsNames.join(",");
  const namesFile = path.join(dir, "server-names.txt");
  if (!existsSync(files.serverKey) || !existsSync(namesFile) || readFileSync(namesFile, "utf8") !== wanted) {
    const server = await createServerCertificate(ca, dnsNames, BASE_IPS);
    writeFileSync(files.server, server.certPem);
    writeFileSync(files.serverKey, server.keyPem, { mode: 0o600 });
    writeFileSync(namesFile, wanted);
  }
  const server: PemPair = {
    certPem: readFileSync(files.server, "utf8"),
    keyPem: readFileSync(files.serverKey, "utf8"),
  };
  const defaultContext = tls.createSecureContext({ cert: server.certPem + ca.certPem, key: server.keyPem });
  // Certificates minted for account host names, most recently used last. Only names of accounts that exist get
  // one (a client cannot make the server mint for names of its choosing), and the map is bounded.
  const perHost = new Map<string, Promise<tls.SecureContext>>();

  return {
    caPath: files.ca,
    caPem: ca.certPem,
    server,
    defaultContext,
    contextFor(servername, accountExists, storageAccountExists) {
      const name = servername.toLowerCase();
      if (dnsNames.includes(name) || !name.endsWith(`.${suffix}`)) return Promise.resolve(defaultContext);
      const label = name.slice(0, -suffix.length - 1);
      const storage = /^([a-z0-9]{3,24})\.(dfs|blob)$/.exec(label);
      const known = storage
        ? storageAccountExists?.(storage[1]!) === true
        : /^[a-z0-9]{3,24}$/.test(label) && accountExists(label);
      if (!known) return Promise.resolve(defaultContext);
      let context = perHost.get(name);
      if (context) {
        perHost.delete(name);
      } else {
        if (perHost.size >= maxContexts) perHost.delete(perHost.keys().next().value!);
        context = createServerCertificate(ca, [name, ...BASE_DNS], BASE_IPS).then((pair) =>
          tls.createSecureContext({ cert: pair.certPem + ca.certPem, key: pair.keyPem }),
        );
        // A failed mint is not kept: the next handshake tries again.
        context.catch(() => perHost.delete(name));
      }
      perHost.set(name, context);
      return context;
    },
  };
}
