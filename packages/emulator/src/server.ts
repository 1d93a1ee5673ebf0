import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { handleAdmin } from "./admin.js";
import { ACCOUNT_NAME } from "./arm/validation.js";
import { sendStorageError, storageErrors } from "./dfs/errors.js";
import { classify, type StorageTarget } from "./dfs/index.js";
import { StorageQuery } from "./dfs/params.js";
import { handleEntra, sendNotFound } from "./entra/index.js";
import type { Area } from "./faults.js";
import { baseUrlFor, routableHost } from "./http/base-url.js";
import type { EmulatorServices, RequestContext } from "./http/context.js";
import { tryDecodeURIComponent } from "./http/decode.js";
import { applyFault } from "./http/inject-fault.js";
import { sendJson } from "./http/respond.js";
import type { JournalEntry } from "./journal.js";

/** Where a filesystem request goes: the account and the raw (still percent-encoded) path after the account. */
export interface FilesystemTarget {
  account: string;
  /** Raw request path after the account, starting with the prefix (`/webhdfs/v1/...` or `/WebHdfsExt/...`). */
  rawPath: string;
}

export interface AreaHandlers {
  /** Resource Manager: returns false when the path is not one of its own. */
  arm(ctx: RequestContext): Promise<boolean>;
  /** The Data Lake filesystem of one account. */
  filesystem(ctx: RequestContext, target: FilesystemTarget): Promise<void>;
  /** The Gen2 data plane (DFS and Blob) of one storage account. */
  storage(ctx: RequestContext, target: StorageTarget): Promise<void>;
  /** Whether a storage account of this name exists (path-style routing, host names). */
  storageAccountExists(name: string): boolean;
}

const FS_PREFIX = /^\/(webhdfs\/v1|webhdfsext)(\/|$)/i;

/** Finds the filesystem target of a request: host-style `{account}.{suffix}` or path-style `/{account}/webhdfs/v1`. */
export function filesystemTarget(
  host: string,
  rawPath: string,
  suffixHost: string,
): FilesystemTarget | undefined {
  const hostname = host.toLowerCase();
  const suffix = suffixHost.toLowerCase();
  if (hostname.endsWith(`.${suffix}`) && FS_PREFIX.test(rawPath)) {
    return { account: hostname.slice(0, -suffix.length - 1), rawPath };
  }
  const match = /^\/([^/]+)(\/.*)?$/.exec(rawPath);
  if (match && FS_PREFIX.test(match[2] ?? ""))
    return { account: decodeAccount(match[1]!), rawPath: match[2]! };
  if (match && /^\/(webhdfs\/v1|webhdfsext)$/i.test(match[2] ?? ""))
    return { account: match[1]!.toLowerCase(), rawPath: match[2]! };
  return undefined;
}

/**
 * First path segments that the emulator's other areas own (admin, Resource Manager, managed identity, Entra's
 * tenant aliases): never a storage account in path style, so a storage account named like one of them is
 * reachable host-style only.
 */
export const STORAGE_RESERVED: ReadonlySet<string> = new Set([
  "_emulator",
  "subscriptions",
  "tenants",
  "providers",
  "msi",
  "metadata",
  "common",
  "organizations",
  "consumers",
]);

/**
 * Finds the Gen2 target of a request that is not Gen1's (filesystemTarget first): host-style
 * `{account}.dfs.{suffix}` / `{account}.blob.{suffix}` (the account need not exist: it gets the storage 404), or
 * path-style `/{account}/...` where `{account}` is an existing storage account and not a reserved segment
 * (or a rename whose source names one, below).
 */
export function storageTarget(
  host: string,
  rawPath: string,
  suffixHost: string,
  storageAccountExists: (name: string) => boolean,
  renameSource?: string,
): StorageTarget | undefined {
  const hostname = host.toLowerCase();
  const suffix = suffixHost.toLowerCase();
  if (hostname.endsWith(`.${suffix}`)) {
    const label = /^([a-z0-9]{3,24})\.(dfs|blob)$/.exec(hostname.slice(0, -suffix.length - 1));
    if (label)
      return { account: label[1]!, rawPath, hostApi: label[2] as "dfs" | "blob", accountInPath: false };
  }
  const match = /^\/([^/]+)(\/.*)?$/.exec(rawPath);
  if (!match) return undefined;
  const account = decodeAccount(match[1]!);
  if (/^[a-z0-9]{3,24}$/.test(account) && !STORAGE_RESERVED.has(account) && storageAccountExists(account))
    return { account, rawPath: match[2] ?? "/", hostApi: undefined, accountInPath: true };
  // @azure/storage-file-datalake's move() sets the destination URL's whole path to `/{fs}/{path}`, dropping the
  // account of a path-style URL, while its rename source keeps it (`/{account}/{fs}/{path}`): such a rename is
  // the source's account's.
  const source = /^\/([^/?]+)\//.exec(renameSource ?? "");
  const sourceAccount = source ? decodeAccount(source[1]!) : "";
  if (/^[a-z0-9]{3,24}$/.test(sourceAccount) && storageAccountExists(sourceAccount))
    return { account: sourceAccount, rawPath, hostApi: undefined, accountInPath: false };
  return undefined;
}

/** The first segment of a path-style URL when it is shaped like a storage account name (none exists: storageTarget). */
function missingStorageAccount(rawPath: string): string | undefined {
  const first = /^\/([^/?]+)/.exec(rawPath)?.[1];
  if (first === undefined) return undefined;
  const account = decodeAccount(first);
  return ACCOUNT_NAME.test(account) && !STORAGE_RESERVED.has(account) ? account : undefined;
}

/** The account part of a path-style URL; bytes that are not UTF-8 stay encoded (no such account: a 404). */
function decodeAccount(raw: string): string {
  return (tryDecodeURIComponent(raw) ?? raw).toLowerCase();
}

function areaOf(
  pathname: string,
  target: FilesystemTarget | undefined,
  storage: StorageTarget | undefined,
): Area {
  if (target) return "fs";
  if (storage) return "storage";
  const first = pathname.split("/")[1]?.toLowerCase() ?? "";
  if (first === "_emulator") return "admin";
  if (first === "subscriptions" || first === "tenants" || first === "providers") return "arm";
  if (first === "msi" || first === "metadata") return "msi";
  return "entra";
}

/**
 * The whole request chain, top to bottom: request id and journal, base URL, fault injection, then the first
 * area that owns the path (filesystem, admin, Resource Manager, Entra ID), and a JSON 404 for the rest.
 */
export function createRequestListener(
  services: EmulatorServices,
  handlers: AreaHandlers,
  port: () => number,
  log: (line: string) => void,
) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    const requestId = randomUUID();
    const rawUrl = req.url ?? "/";
    const rawPath = rawUrl.split("?")[0] ?? "/";
    const entry: JournalEntry = {
      time: new Date().toISOString(),
      requestId,
      method: (req.method ?? "GET").toUpperCase(),
      path: redactTokens(rawPath.length > 2048 ? `${rawPath.slice(0, 2048)}…` : rawPath),
      status: 0,
      durationMs: 0,
    };
    res.setHeader("x-ms-request-id", requestId);
    res.on("finish", () => {
      entry.status = res.statusCode;
      entry.durationMs = Math.round((performance.now() - started) * 100) / 100;
      services.journal.record(entry);
    });
    res.on("close", () => {
      if (!res.writableFinished) {
        entry.status = res.statusCode;
        entry.fault ??= "connection closed before the response completed";
        entry.durationMs = Math.round((performance.now() - started) * 100) / 100;
        services.journal.record(entry);
      }
    });

    let ctx: RequestContext | undefined;
    let area: Area = "entra";
    try {
      const host = routableHost(req.headers.host) ?? `localhost:${port()}`;
      const baseUrl = baseUrlFor(host, {
        port: port(),
        fsDnsSuffix: services.config.fsDnsSuffix,
        accountExists: (name) => services.accounts.has(name),
        storageAccountExists: (name) => handlers.storageAccountExists(name),
      });
      // Parsed as an absolute URL: relative to a base, a target starting with a slash and a backslash would read as
      // a protocol-relative URL naming a host (or fail to parse), since WHATWG URLs treat a backslash like "/".
      let url: URL;
      try {
        url = new URL(`${baseUrl}${rawUrl.startsWith("/") ? rawUrl : `/${rawUrl}`}`);
      } catch {
        sendJson(res, 400, {
          error: { code: "InvalidRequestUri", message: "The request target is not a valid URL path." },
        });
        return;
      }
      const clientRequestId =
        headerValue(req.headers["x-ms-client-request-id"]) ??
        headerValue(req.headers["client-request-id"]) ??
        url.searchParams.get("client-request-id") ??
        undefined;
      if (clientRequestId) entry.clientRequestId = clientRequestId.slice(0, 128);
      ctx = { req, res, method: entry.method, url, baseUrl, requestId, entry, services };

      const suffixHost = services.config.fsDnsSuffix ?? `localhost:${port()}`;
      const target = filesystemTarget(host, rawPath, suffixHost);
      const storage = target
        ? undefined
        : storageTarget(
            host,
            rawPath,
            suffixHost,
            (name) => handlers.storageAccountExists(name),
            headerValue(req.headers["x-ms-rename-source"]),
          );
      area = areaOf(url.pathname, target, storage);
      if (area !== "admin") {
        const op = caseInsensitiveParam(url, "op");
        // Known before any handler runs, so the journal names the operation even when a fault answers it.
        if (area === "fs" && op) entry.op = op.toUpperCase().slice(0, 64);
        const decision = services.faults.pick({ area, op, method: entry.method });
        if (decision && (await applyFault(ctx, area, decision))) return;
      }
      if (target) {
        entry.account = target.account;
        await handlers.filesystem(ctx, target);
      } else if (storage) {
        await handlers.storage(ctx, storage);
      } else if (area === "admin") {
        await handleAdmin(ctx);
      } else if (area === "arm" && (await handlers.arm(ctx))) {
        // served by Resource Manager
      } else if (!(await handleEntra(ctx))) {
        const account = missingStorageAccount(rawPath);
        if (account === undefined) sendNotFound(ctx);
        else {
          // A path-style storage request for an account that does not exist: the storage error (the code in
          // x-ms-error-code, which is all a HEAD carries), in the shape of the API it was meant for.
          entry.account = account;
          const api = classify(ctx, new StorageQuery(url.searchParams), undefined);
          sendStorageError(res, api, entry.method, requestId, storageErrors.accountNotFound(account));
        }
      }
    } catch (err) {
      log(
        `request ${requestId} ${entry.method} ${entry.path} failed: ${(err as Error).stack ?? String(err)}`,
      );
      if (res.headersSent) {
        res.destroy();
      } else if (area === "storage") {
        sendStorageError(res, "dfs", entry.method, requestId, storageErrors.internal());
      } else if (area === "fs") {
        sendJson(res, 500, {
          RemoteException: {
            exception: "RuntimeException",
            message: `adl-emulator failed to serve this request. [${requestId}][${new Date().toISOString()}]`,
            javaClassName: "java.lang.RuntimeException",
          },
        });
      } else {
        sendJson(res, 500, {
          error: {
            code: "InternalServerError",
            message: `adl-emulator failed to serve this request (request id ${requestId}).`,
          },
        });
      }
    }
  };
}

/** Anything shaped like a JWT (a token pasted into a path by mistake) never reaches the journal or the log. */
const JWT_SHAPED = /eyJ[A-Za-z0-9_-]{10,}(\.|%2e)eyJ[A-Za-z0-9_-]{10,}(\.|%2e)[A-Za-z0-9_-]*/gi;
function redactTokens(path: string): string {
  return path.replace(JWT_SHAPED, "[redacted-jwt]");
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function caseInsensitiveParam(url: URL, name: string): string | undefined {
  for (const [key, value] of url.searchParams) if (key.toLowerCase() === name) return value;
  return undefined;
}
