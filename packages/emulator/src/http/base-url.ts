/**
 * The host names this emulator answers to, and the base URL of the absolute URLs it hands out (`Location`
 * headers, discovery documents, challenges). A request's `Host` header is the client's claim: it is used to
 * route, but only a name of our own is ever written back into a URL, with our own port.
 */

/** A Host header fit to route on (host[:port], no paths or spaces), lower-cased; undefined otherwise. */
export function routableHost(host: string | undefined): string | undefined {
  if (!host || host.length > 300) return undefined;
  return /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/i.test(host) ? host.toLowerCase() : undefined;
}

/** Loopback names that always reach the emulator (its certificate covers them). */
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

export interface OwnHosts {
  /** The port the emulator listens on. */
  port: number;
  /** The configured host-style suffix (`fsDnsSuffix`, host[:port]); by default `localhost:{port}`. */
  fsDnsSuffix: string | undefined;
  /** Whether a Data Lake account of this name exists (host-style `{account}.{suffix}` names). */
  accountExists(name: string): boolean;
  /** Whether a storage account of this name exists (Gen2 `{account}.dfs.{suffix}`, `{account}.blob.{suffix}`). */
  storageAccountExists?(name: string): boolean;
}

/**
 * `https://{host}` for the request's Host when that names us: a loopback name (with our port), the configured
 * suffix, `{account}.{suffix}` of an account that exists, or `{account}.dfs|blob.{suffix}` of a storage account
 * that exists (as configured, port included). Anything else
 * (an attacker's name, another port) gets `https://localhost:{port}`.
 */
export function baseUrlFor(host: string | undefined, own: OwnHosts): string {
  const fallback = `https://localhost:${own.port}`;
  const routable = routableHost(host);
  if (!routable) return fallback;
  const { hostname } = splitHost(routable);
  if (LOOPBACK.has(hostname)) return `https://${hostname}:${own.port}`;
  const suffix = (own.fsDnsSuffix ?? `localhost:${own.port}`).toLowerCase();
  const suffixHostname = splitHost(suffix).hostname;
  if (hostname === suffixHostname) return `https://${suffix}`;
  if (hostname.endsWith(`.${suffixHostname}`)) {
    const account = hostname.slice(0, -suffixHostname.length - 1);
    if (/^[a-z0-9]{3,24}$/.test(account) && own.accountExists(account)) return `https://${account}.${suffix}`;
    const storage = /^([a-z0-9]{3,24})\.(dfs|blob)$/.exec(account);
    if (storage && own.storageAccountExists?.(storage[1]!)) return `https://${account}.${suffix}`;
  }
  return fallback;
}

function splitHost(host: string): { hostname: string; port: string | undefined } {
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host);
  return match ? { hostname: match[1]!, port: match[2] } : { hostname: host, port: undefined };
}
