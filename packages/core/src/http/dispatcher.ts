import type { LookupAddress, LookupOptions } from "node:dns";
import { lookup as dnsLookup } from "node:dns";
import tls from "node:tls";
import { type Dispatcher, EnvHttpProxyAgent } from "undici";

/**
 * How a CA given as `caPem` is trusted: `"extra"` besides the process's roots (the system store and
 * `NODE_EXTRA_CA_CERTS`), or `"only"`: then a server must chain to that CA and nothing else (a private cloud whose
 * endpoints all carry certificates of its own CA, such as the emulator). `"only"` also never builds the process's
 * root store, which a cold process would otherwise parse (some hundred PEM roots) before its first connection.
 */
export type CaTrust = "extra" | "only";

export interface DispatcherOptions {
  /** A CA certificate (PEM) to trust: the emulator's CA. */
  caPem?: string | undefined;
  /** Whether `caPem` is trusted besides the process's roots or alone. @default "extra" */
  caTrust?: CaTrust | undefined;
  /** Sockets per origin; keep it at least as large as the transfer concurrency. @default 16 */
  connections?: number;
  /** Idle keep-alive time. @default 30000 */
  keepAliveTimeoutInMs?: number;
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * `{name}.localhost` resolves to loopback by definition (RFC 6761), but many resolvers here do not know
 * that, so host-style emulator account URLs would fail. Everything else goes to the system resolver.
 */
function loopbackAwareLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  if (hostname.toLowerCase().endsWith(".localhost")) {
    if (options.all) callback(null, [{ address: "127.0.0.1", family: 4 }]);
    else callback(null, "127.0.0.1", 4);
    return;
  }
  (dnsLookup as (h: string, o: LookupOptions, cb: LookupCallback) => void)(hostname, options, callback);
}

/** The trusted roots: `caPem`, and with `"extra"` the process's defaults (system store plus NODE_EXTRA_CA_CERTS). */
function trustedCas(caPem: string, trust: CaTrust): string[] {
  if (trust === "only") return [caPem];
  const defaults =
    typeof tls.getCACertificates === "function"
      ? tls.getCACertificates("default")
      : [...tls.rootCertificates];
  return [...defaults, caPem];
}

/**
 * One secure context per CA and trust, shared by every connection of every dispatcher: building one with the
 * process's roots plus the CA takes milliseconds, which tls.connect would otherwise pay for each new socket, and
 * each client (a credential and a filesystem client make two) for its first.
 */
const secureContexts = new Map<string, tls.SecureContext>();
function secureContextTrusting(caPem: string, trust: CaTrust): tls.SecureContext {
  const key = `${trust}\n${caPem}`;
  let context = secureContexts.get(key);
  if (!context) {
    context = tls.createSecureContext({ ca: trustedCas(caPem, trust) });
    secureContexts.set(key, context);
  }
  return context;
}

/** Whether EnvHttpProxyAgent will route anything through a proxy (it reads the same variables). */
function proxyConfigured(): boolean {
  return ["http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"].some((name) =>
    Boolean(process.env[name]),
  );
}

/**
 * An undici dispatcher with keep-alive and a bounded pool, trusting `caPem` (as `caTrust` says), honouring
 * HTTP(S)_PROXY and NO_PROXY, and resolving `*.localhost` to loopback. It comes from undici 8 (not Node's bundled
 * fetch), whose fetch streams request bodies instead of holding them in memory until the response arrives.
 */
export function createDispatcher(options: DispatcherOptions = {}): Dispatcher {
  const trust = options.caTrust ?? "extra";
  const secureContext = options.caPem ? secureContextTrusting(options.caPem, trust) : undefined;
  const ca = options.caPem && proxyConfigured() ? trustedCas(options.caPem, trust) : undefined;
  return new EnvHttpProxyAgent({
    connections: options.connections ?? 16,
    keepAliveTimeout: options.keepAliveTimeoutInMs ?? 30_000,
    connect: { ...(secureContext ? { secureContext } : {}), lookup: loopbackAwareLookup as never },
    // Only through a proxy do these matter; undici deep-copies its options (JSON) for every pool it makes,
    // which is slow with the process's roots in them, so they are left out when no proxy is configured. The
    // proxy itself is not one of the cloud's endpoints: with "only" it is checked against the process's roots.
    ...(ca ? { requestTls: { ca }, ...(trust === "extra" ? { proxyTls: { ca } } : {}) } : {}),
  });
}
