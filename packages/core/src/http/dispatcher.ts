import type { LookupAddress, LookupOptions } from "node:dns";
import { lookup as dnsLookup } from "node:dns";
import tls from "node:tls";
import { type Dispatcher, EnvHttpProxyAgent } from "undici";

export interface DispatcherOptions {
  /** Extra CA certificates (PEM) to trust besides the system ones: the emulator's CA. */
  caPem?: string | undefined;
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

/** The trusted roots: the process's defaults (system store plus NODE_EXTRA_CA_CERTS) and `caPem`. */
function trustedCas(caPem: string): string[] {
  const defaults =
    typeof tls.getCACertificates === "function"
      ? tls.getCACertificates("default")
      : [...tls.rootCertificates];
  return [...defaults, caPem];
}

/**
 * One secure context per extra CA, shared by every connection of every dispatcher: building one from ~140 roots
 * plus the CA costs ~10 ms, which tls.connect would otherwise pay for each new socket, and each client (a
 * credential and a filesystem client make two) for its first.
 */
const secureContexts = new Map<string, tls.SecureContext>();
function secureContextTrusting(caPem: string): tls.SecureContext {
  let context = secureContexts.get(caPem);
  if (!context) {
    context = tls.createSecureContext({ ca: trustedCas(caPem) });
    secureContexts.set(caPem, context);
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
 * An undici dispatcher with keep-alive and a bounded pool, trusting `caPem`, honouring HTTP(S)_PROXY and
 * NO_PROXY, and resolving `*.localhost` to loopback. It comes from undici 8 (not Node's bundled fetch), whose
 * fetch streams request bodies instead of holding them in memory until the response arrives.
 */
export function createDispatcher(options: DispatcherOptions = {}): Dispatcher {
  const secureContext = options.caPem ? secureContextTrusting(options.caPem) : undefined;
  const ca = options.caPem && proxyConfigured() ? trustedCas(options.caPem) : undefined;
  return new EnvHttpProxyAgent({
    connections: options.connections ?? 16,
    keepAliveTimeout: options.keepAliveTimeoutInMs ?? 30_000,
    connect: { ...(secureContext ? { secureContext } : {}), lookup: loopbackAwareLookup as never },
    // Only through a proxy do these matter; undici deep-copies its options (JSON) for every pool it makes,
    // which costs ~25 ms with ~140 PEM roots, so they are left out when no proxy is configured.
    ...(ca ? { requestTls: { ca }, proxyTls: { ca } } : {}),
  });
}
