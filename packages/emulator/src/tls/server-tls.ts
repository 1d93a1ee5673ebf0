import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import tls from "node:tls";
import { createCa, createServerCertificate, type PemPair } from "./certificates.js";

export interface TlsMaterial {
  caPath: string;
  caPem: string;
  /** Secure context for a host name; host-style account names (`{account}.localhost`) get their own certificate. */
  contextFor(servername: string): Promise<tls.SecureContext>;
  defaultContext: tls.SecureContext;
  server: PemPair;
}

const BASE_DNS = ["localhost", "*.localhost"];
const BASE_IPS = ["127.0.0.1", "::1"];

/**
 * Loads DIR/tls (CA and server certificate), creating them on first start.
 * Clients rarely accept `*.localhost` (a wildcard directly under a top-level label), so each
 * `{account}.{suffix}` host name gets an exact-name certificate from the same CA on first use, via SNI.
 */
export async function loadTls(dataDir: string, extraHostnames: string[] = []): Promise<TlsMaterial> {
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
  const perHost = new Map<string, Promise<tls.SecureContext>>();

  return {
    caPath: files.ca,
    caPem: ca.certPem,
    server,
    defaultContext,
    contextFor(servername: string) {
      const name = servername.toLowerCase();
      const coveredExactly = dnsNames.includes(name) || !/^[a-z0-9-]{1,63}\.localhost$/.test(name);
      if (coveredExactly) return Promise.resolve(defaultContext);
      let context = perHost.get(name);
      if (!context) {
        if (perHost.size > 10_000) perHost.clear(); // bounded: host names come from clients
        context = createServerCertificate(ca, [name, ...BASE_DNS], BASE_IPS).then((pair) =>
          tls.createSecureContext({ cert: pair.certPem + ca.certPem, key: pair.keyPem }),
        );
        perHost.set(name, context);
      }
      return context;
    },
  };
}
