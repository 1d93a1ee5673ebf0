import { randomBytes } from "node:crypto";
import dns from "node:dns";
import https from "node:https";
import type { AddressInfo } from "node:net";
import tls from "node:tls";
import type { StorageAccountInfo } from "../../src/arm/storage/registry.js";
import {
  authenticateStorageRequest,
  parseKeyInfo,
  renderUserDelegationKey,
  type SasGrant,
  type StorageAuthResult,
  type StorageRequest,
  UserDelegationKeys,
} from "../../src/storage-auth/index.js";
import { createCa, createServerCertificate } from "../../src/tls/certificates.js";

/**
 * A loopback HTTPS server that hands every request, exactly as it arrived (raw URL, headers, peer address), to
 * `authenticateStorageRequest` and records the verdict: the official SDKs sign real requests, and the test
 * reads what our verifier made of them. It answers successes with an empty 2xx (the SDKs' parsing of that
 * answer does not matter), refusals with the service's XML error, and Get User Delegation Key for bearer
 * callers with a real key from `UserDelegationKeys`.
 */

export const ACCOUNT_NAME = "devacct1";
export const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
export const BEARER_OID = "11111111-2222-3333-4444-555555555555";

export function testAccount(overrides: Partial<StorageAccountInfo> = {}): StorageAccountInfo {
  return {
    name: ACCOUNT_NAME,
    subscription: "00000000-0000-0000-0000-000000000001",
    tenant: TENANT,
    keys: { key1: randomBytes(64).toString("base64"), key2: randomBytes(64).toString("base64") },
    isHnsEnabled: true,
    allowSharedKeyAccess: true,
    owner: BEARER_OID,
    ...overrides,
  };
}

export interface Captured {
  readonly request: StorageRequest;
  readonly body: Buffer;
  readonly result: StorageAuthResult;
}

export interface CaptureServer {
  readonly port: number;
  readonly caPem: string;
  /** `https://127.0.0.1:PORT/{account}` (path style). */
  readonly pathStyleUrl: string;
  /** `https://{account}.{service}.localhost:PORT` (host style; resolved to loopback by `routeLocalhostNames`). */
  hostStyleUrl(service: "dfs" | "blob"): string;
  readonly captured: Captured[];
  account: StorageAccountInfo;
  readonly keys: UserDelegationKeys;
  /** The server's clock for verification (default: real time). */
  now: () => Date;
  close(): Promise<void>;
}

function endpointOf(rawUrl: string, headers: StorageRequest["headers"]): "blob" | "dfs" {
  const host = String(headers.host ?? "");
  if (host.includes(".dfs.")) return "dfs";
  if (host.includes(".blob.")) return "blob";
  return /[?&](comp|restype)=/.test(rawUrl) ? "blob" : "dfs";
}

/**
 * Path style when the host is an IP or `localhost`: the first segment is the account. Except for the JS SDK's
 * `move()`, which rebuilds the destination path as `/{fs}/{path}` (no account) while its `x-ms-rename-source`
 * keeps `/{account}/…`: the data plane has to take the account from there (as this stand-in does).
 */
function pathStyleOf(
  host: string,
  rawUrl: string,
  renameSource: string | string[] | undefined,
  account: string,
): boolean {
  if (!host.startsWith("127.0.0.1") && !host.startsWith("localhost")) return false;
  const first = rawUrl.split(/[/?]/)[1] ?? "";
  const sourceFirst = typeof renameSource === "string" ? (renameSource.split(/[/?]/)[1] ?? "") : "";
  return !(first !== account && sourceFirst === account);
}

function errorXml(code: string, message: string, detail?: string): string {
  const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const d = detail ? `<AuthenticationErrorDetail>${esc(detail)}</AuthenticationErrorDetail>` : "";
  return `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${esc(message)}</Message>${d}</Error>`;
}

export async function startCaptureServer(account = testAccount()): Promise<CaptureServer> {
  const ca = await createCa("storage-auth test CA");
  const names = ["dfs", "blob"].map((s) => `${account.name}.${s}.localhost`);
  const cert = await createServerCertificate(ca, ["localhost", ...names], ["127.0.0.1"]);
  tls.setDefaultCACertificates([...tls.getCACertificates("default"), ca.certPem]);
  const captured: Captured[] = [];
  const keys = new UserDelegationKeys(randomBytes(32));
  const state = { account, now: () => new Date() };

  const server = https.createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const rawUrl = req.url ?? "/";
      const host = String(req.headers.host ?? "");
      const request: StorageRequest = {
        method: req.method ?? "GET",
        rawUrl,
        headers: req.headers,
        clientIp: req.socket.remoteAddress ?? "",
        secure: true,
        endpoint: endpointOf(rawUrl, req.headers),
        pathStyle: pathStyleOf(host, rawUrl, req.headers["x-ms-rename-source"], state.account.name),
      };
      const body = Buffer.concat(chunks);
      const result = authenticateStorageRequest(request, state.account, {
        now: state.now(),
        userDelegationKeys: keys,
      });
      captured.push({ request, body, result });
      res.setHeader("x-ms-request-id", "00000000-0000-0000-0000-000000000000");
      res.setHeader("x-ms-version", String(req.headers["x-ms-version"] ?? ""));
      if (result.kind === "error") {
        res.writeHead(result.status, { "x-ms-error-code": result.code, "content-type": "application/xml" });
        res.end(req.method === "HEAD" ? undefined : errorXml(result.code, result.message, result.detail));
        return;
      }
      if (result.kind === "bearer" && /comp=userdelegationkey/.test(rawUrl)) {
        const info = parseKeyInfo(body.toString("utf8"), state.now());
        if (info && "kind" in info) {
          res.writeHead(info.status, { "x-ms-error-code": info.code, "content-type": "application/xml" });
          res.end(errorXml(info.code, info.message, info.detail));
          return;
        }
        const key = keys.issue(
          state.account.name,
          { oid: BEARER_OID, tid: TENANT },
          info,
          String(req.headers["x-ms-version"]),
        );
        res.writeHead(200, { "content-type": "application/xml" });
        res.end(renderUserDelegationKey(key));
        return;
      }
      const status = req.method === "PUT" ? 201 : req.method === "PATCH" ? 202 : 200;
      res.writeHead(status, {
        etag: '"0x8DB147E4C69C7C5"',
        "last-modified": new Date().toUTCString(),
        "content-length": "0",
      });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    caPem: ca.certPem,
    pathStyleUrl: `https://127.0.0.1:${port}/${account.name}`,
    hostStyleUrl: (service) => `https://${account.name}.${service}.localhost:${port}`,
    captured,
    get account() {
      return state.account;
    },
    set account(a: StorageAccountInfo) {
      state.account = a;
    },
    keys,
    get now() {
      return state.now;
    },
    set now(f: () => Date) {
      state.now = f;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * `*.localhost` does not resolve on these machines: names ending in `.localhost` are answered with 127.0.0.1
 * for this test process (node's sockets look `dns.lookup` up at connect time). Returns the undo.
 */
export function routeLocalhostNames(): () => void {
  const original = dns.lookup;
  const patched = ((hostname: string, options: unknown, callback: unknown) => {
    const cb = (typeof options === "function" ? options : callback) as (...args: unknown[]) => void;
    const opts = (typeof options === "object" && options !== null ? options : {}) as { all?: boolean };
    if (!hostname.endsWith(".localhost"))
      return (original as (...a: unknown[]) => void)(hostname, options, callback);
    if (opts.all) return process.nextTick(cb, null, [{ address: "127.0.0.1", family: 4 }]);
    return process.nextTick(cb, null, "127.0.0.1", 4);
  }) as typeof dns.lookup;
  dns.lookup = patched;
  return () => {
    dns.lookup = original;
  };
}

/** Runs an SDK call for the request it sends; the answer (often unparseable for the SDK) does not matter. */
export async function sent(server: CaptureServer, call: () => Promise<unknown>): Promise<Captured[]> {
  const before = server.captured.length;
  await call().catch(() => undefined);
  return server.captured.slice(before);
}

export interface Call {
  method?: string;
  secure?: boolean;
  clientIp?: string;
  now?: Date;
  headers?: Record<string, string>;
}

/** Verifies `{path}?{query}` under the account, path style, as the data plane will (the SAS tests' entry). */
export function verifyPathStyle(
  server: CaptureServer,
  pathAndQuery: string,
  call: Call = {},
  account = server.account,
): StorageAuthResult {
  return authenticateStorageRequest(
    {
      method: call.method ?? "GET",
      rawUrl: `/${account.name}${pathAndQuery}`,
      headers: { host: `127.0.0.1:${server.port}`, "x-ms-version": "2025-01-05", ...call.headers },
      clientIp: call.clientIp ?? "127.0.0.1",
      secure: call.secure ?? true,
      endpoint: "dfs",
      pathStyle: true,
    },
    account,
    { userDelegationKeys: server.keys, ...(call.now ? { now: call.now } : {}) },
  );
}

export function grantOf(result: StorageAuthResult): SasGrant {
  if (result.kind !== "sas") throw new Error(`expected a SAS grant, got ${JSON.stringify(result)}`);
  return result;
}
