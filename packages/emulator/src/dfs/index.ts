import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { StorageAccountRegistry } from "../arm/storage/registry.js";
import { purgeStaleBlocks } from "../blob/block-expiry.js";
import { blobOperation } from "../blob/index.js";
import { answerFailure } from "../http/answer-failure.js";
import type { EmulatorServices, RequestContext } from "../http/context.js";
import { BodyTooLargeError } from "../http/respond.js";
import { UserDelegationKeys } from "../storage-auth/index.js";
import { type AccountStore, AccountStores } from "../store/account-stores.js";
import { type FsNode, UnstorableValueError } from "../store/metadata-store.js";
import { PathState } from "../store/path-state.js";
import { purgeExpired } from "../store/purge-expired.js";
import { authenticate, authorize } from "./credentials.js";
import { type StorageApi, StorageError, sendStorageError, storageErrors } from "./errors.js";
import { dfsOperation } from "./operations.js";
import { header, StorageQuery } from "./params.js";
import { parseStoragePath } from "./paths.js";
import { filesystemNode, type StorageRequest } from "./request.js";

/**
 * The Gen2 data plane: the DFS API and the Blob subset the DataLake SDKs use, for the storage accounts of
 * Resource Manager (arm/storage), with Entra bearer tokens.
 *
 * Store mapping. One namespace store per storage account (DIR/storage/{account}/: metadata.db and blobs/, the
 * same store as a Gen1 account's), whose root stands for the account: each filesystem (container) is a
 * directory right below it, and is the root directory of its paths. So a filesystem's delete is one row update
 * (its tree goes to the trash and is reclaimed in the background), a rename between filesystems of one account
 * is a move, one database serves all of an account's filesystems (no handle per filesystem), and the Gen1 rules
 * (permissions, sticky bit, removal, durability) apply unchanged: requests see a NamespaceCaller whose top is
 * their filesystem. What Gen2 adds per path (ETag, content headers, user properties, staged appends) lives in
 * the same database (store/path-state.ts), so it commits with the namespace. Deleting the storage account
 * (ARM, or its resource group) deletes the store.
 *
 * Routing (server.ts). Host-style `{account}.dfs.{suffix}` and `{account}.blob.{suffix}`; path-style
 * `/{account}/...` on any loopback name, for an existing storage account, unless the path is Gen1's
 * (`/{account}/webhdfs/v1`, `/{account}/WebHdfsExt`) or the first segment is one of the emulator's own
 * (see STORAGE_RESERVED in server.ts). On one listener DFS and Blob requests are told apart by their shape
 * (`classify`, reference §0.6): the SDKs send both to the same URL when it is not a known cloud host.
 *
 * Authentication (credentials.ts, on storage-auth/): Entra bearer tokens for `https://storage.azure.com/` from
 * the account's tenant, Shared Key, and SAS (account, service, user delegation). Bearer callers get what the
 * ACLs grant (the account's creator and the configured super-users are super-users, like Storage Blob Data
 * Owner); Shared Key and SAS callers bypass ACLs as in Azure, and a SAS allows only what it names: each
 * operation asks `req.authorize(operation)` before it runs.
 */

/** Where a Gen2 request goes. */
export interface StorageTarget {
  account: string;
  /** The raw path after the account (host style: the whole path). */
  rawPath: string;
  /** The API the host name names (`{account}.dfs.…` / `{account}.blob.…`); undefined for path style. */
  hostApi: StorageApi | undefined;
  /**
   * Whether the URL's first segment is the account (path style): Shared Key signs it twice then. False for host
   * style, and for the JS SDK's path-style `move()`, whose destination URL lacks the account (server.ts).
   */
  accountInPath: boolean;
}

const DFS_QUERY = [
  "resource",
  "action",
  "position",
  "mode",
  "recursive",
  "continuation",
  "upn",
  "paginated",
  "directory",
];

/** DFS or Blob, by the shape of the request (reference §0.6); ambiguous reads follow the host (Blob on path style). */
export function classify(
  ctx: RequestContext,
  query: StorageQuery,
  hostApi: StorageApi | undefined,
): StorageApi {
  if (query.has("comp") || query.has("restype")) return "blob";
  if (DFS_QUERY.some((name) => query.has(name))) return "dfs";
  const h = ctx.req.headers;
  if (h["x-ms-rename-source"] !== undefined || ctx.method === "PATCH") return "dfs";
  if (ctx.method === "POST" && h["x-ms-lease-action"] !== undefined) return "dfs";
  if (ctx.method === "PUT" && h["x-ms-blob-type"] !== undefined) return "blob";
  if (hostApi !== undefined) return hostApi;
  // A bare DELETE on a path-style URL is both APIs' (Azure never sees one: its hosts name the API), and the
  // answers differ (DFS 200 and JSON, Blob 202 and XML), each SDK accepting only its own. JS DataLake adds
  // `paginated`; Python DataLake sends nothing, so the Blob SDKs are known by their User-Agent.
  if (ctx.method === "DELETE") return /\bstorage-blob\//i.test(h["user-agent"] ?? "") ? "blob" : "dfs";
  return "blob";
}

export function createStorageHandler(
  services: EmulatorServices,
  registry: StorageAccountRegistry,
): { handle(ctx: RequestContext, target: StorageTarget): Promise<void>; close(): void } {
  const stores = new AccountStores(path.join(services.dataDir, "storage"));
  const states = new WeakMap<AccountStore, PathState>();
  const unsubscribe = registry.onDeleted((name) => stores.drop(name));
  const userDelegationKeys = new UserDelegationKeys(userDelegationSecret(services.dataDir));

  async function serve(ctx: RequestContext, target: StorageTarget, api: StorageApi, query: StorageQuery) {
    // A SAS URL opened without the SDK (a browser, curl) sends no version: the SAS's `sv` stands for it.
    const version = header(ctx.req.headers, "x-ms-version");
    if (version === undefined && !query.has("sig")) throw storageErrors.missingHeader("x-ms-version");
    const account = registry.lookup(target.account);
    if (!account) throw storageErrors.accountNotFound(target.account);
    const caller = await authenticate({
      ctx,
      api,
      account,
      accountInPath: target.accountInPath,
      userDelegationKeys,
    });
    ctx.entry.principal = caller.principal.objectId;
    query.checkNumbers();
    const where = parseStoragePath(target.rawPath);
    const store = stores.get({ name: account.name, ownerObjectId: account.owner });
    let state = states.get(store);
    if (!state) {
      state = new PathState(store.meta);
      states.set(store, state);
    }
    const req: StorageRequest = {
      ctx,
      api,
      account,
      query,
      headers: ctx.req.headers,
      state,
      store,
      principal: caller.principal,
      caller,
      authorize: (operation, signed) => authorize(caller, operation, signed),
      filesystem: where.filesystem,
      segments: where.segments,
      path: where.segments.join("/"),
      top: () => {
        const node = filesystemNode(req, where.filesystem);
        if (!node) throw storageErrors.filesystemNotFound();
        return node;
      },
      denied: () => storageErrors.permissionMismatch(),
      fileInTheWay: () => storageErrors.pathConflict(),
    };
    try {
      const now = Date.now();
      await purgeExpired(store, now, (node) => {
        const where = storagePathOf(store, node);
        return where ? state.takeUncommitted(where.fs, where.path) : [];
      });
      await purgeStaleBlocks(store, state, now, services.config.uncommittedBlockLifetimeSeconds * 1000);
      if (api === "blob") await blobOperation(req, serviceEndpoint(ctx, target));
      else await dfsOperation(req, target.hostApi === undefined);
    } catch (err) {
      // Resource Manager deleted the account while this request ran: its data is gone, and so is the account.
      if (store.dropped) throw storageErrors.accountNotFound(target.account);
      throw err;
    }
  }

  return {
    async handle(ctx, target) {
      const query = new StorageQuery(ctx.url.searchParams);
      const api = classify(ctx, query, target.hostApi);
      ctx.entry.account = target.account;
      ctx.entry.op = `${api}:${ctx.method}`;
      const version = header(ctx.req.headers, "x-ms-version");
      if (version !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(version))
        ctx.res.setHeader("x-ms-version", version);
      const clientRequestId = header(ctx.req.headers, "x-ms-client-request-id");
      if (
        clientRequestId !== undefined &&
        clientRequestId.length <= 1024 &&
        /^[\x20-\x7e]*$/.test(clientRequestId)
      )
        ctx.res.setHeader("x-ms-client-request-id", clientRequestId);
      ctx.res.setHeader("Server", api === "dfs" ? "Windows-Azure-HDFS/1.0" : "Windows-Azure-Blob/1.0");
      try {
        await serve(ctx, target, api, query);
      } catch (err) {
        sendFailure(ctx, api, err);
      }
    },
    close() {
      unsubscribe();
      stores.close();
    },
  };
}

/**
 * The secret user delegation keys are derived from: kept in DIR/identity, so keys and the SAS signed with them
 * stay valid across restarts, as the service's do until they expire.
 */
function userDelegationSecret(dataDir: string): Buffer {
  const file = path.join(dataDir, "identity", "user-delegation-secret");
  if (!existsSync(file)) {
    writeFileSync(file, randomBytes(32).toString("base64"), { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  const secret = Buffer.from(readFileSync(file, "utf8").trim(), "base64");
  if (secret.length < 32) throw new Error(`${file} holds no 32-byte secret; delete it to make a new one.`);
  return secret;
}

/**
 * Where a node of a storage account's namespace lives: its filesystem (the directory right below the account's
 * root) and its path inside it, as `StorageRequest.path` names it; undefined for the root and filesystems.
 */
function storagePathOf(store: AccountStore, node: FsNode): { fs: number; path: string } | undefined {
  const names: string[] = [];
  const rootId = store.meta.root().id;
  for (
    let at: FsNode | undefined = node;
    at;
    at = at.parent === null ? undefined : store.meta.byId(at.parent)
  ) {
    if (at.parent === rootId)
      return names.length > 0 ? { fs: at.id, path: names.reverse().join("/") } : undefined;
    names.push(at.name);
  }
  return undefined;
}

/** The Blob listing's `ServiceEndpoint`: the URL the client used, up to the account. */
function serviceEndpoint(ctx: RequestContext, target: StorageTarget): string {
  return target.hostApi === undefined ? `${ctx.baseUrl}/${target.account}/` : `https://${ctx.url.host}/`;
}

/** Turns a failure into the service's error; unexpected ones go on to server.ts (a 500 and a log line). */
function sendFailure(ctx: RequestContext, api: StorageApi, err: unknown): void {
  let error: StorageError | undefined;
  if (err instanceof StorageError) error = err;
  else if (err instanceof UnstorableValueError) error = storageErrors.invalidInput(err.message);
  else if (err instanceof BodyTooLargeError) error = storageErrors.bodyTooLarge(`${err.limit} bytes`);
  const send = error && (() => sendStorageError(ctx.res, api, ctx.method, ctx.requestId, error));
  if (!answerFailure(ctx, err, send)) throw err;
}
