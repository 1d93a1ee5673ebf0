import path from "node:path";
import type { AccountRecord } from "../accounts.js";
import { DATALAKE_AUDIENCES } from "../audiences.js";
import { BearerTokenError, requireResourceTenant } from "../auth/verify-bearer.js";
import { answerFailure } from "../http/answer-failure.js";
import type { EmulatorServices, RequestContext } from "../http/context.js";
import { BodyTooLargeError as SmallBodyTooLargeError } from "../http/respond.js";
import type { FilesystemTarget } from "../server.js";
import { AccountStores } from "../store/account-stores.js";
import { AclSpecError } from "../store/acl.js";
import { BodyTooLargeError } from "../store/blob-store.js";
import { UnstorableValueError } from "../store/metadata-store.js";
import { purgeExpired } from "../store/purge-expired.js";
import type { FsRequest } from "./fs-request.js";
import { MAX_WRITE_BYTES } from "./operations/create-append.js";
import { OPERATIONS, UNSUPPORTED } from "./operations/index.js";
import { normalisePath, PathError, pathString, QueryParams, splitPrefix } from "./parse-request.js";
import { RemoteError, remoteErrors, sendRemoteError } from "./remote-exception.js";

/** What `x-ms-webhdfs-version` says on `/webhdfs/v1` responses (a version the real service reported). */
const WEBHDFS_VERSION = "17.04.22.00";

/**
 * The Data Lake filesystem (WebHDFS + ADLS extensions). The pipeline, top to bottom (§10.1): prefix and query,
 * `op`, bearer token, account, method check, path normalisation, expiry sweep, then the operation. Every
 * failure becomes a `RemoteException` in `sendFailure`.
 */
export function createWebHdfsHandler(services: EmulatorServices): {
  handle(ctx: RequestContext, target: FilesystemTarget): Promise<void>;
  close(): void;
} {
  const stores = new AccountStores(path.join(services.dataDir, "fs"));
  // Accounts that exist, by name: a record never changes while its account lives (a removal is announced), so
  // the directory's database is asked only on a miss.
  const known = new Map<string, AccountRecord>();
  const unsubscribe = services.accounts.onChange((event) => {
    if (event.type === "removed") {
      known.delete(event.name);
      stores.drop(event.name);
    }
  });
  const accountNamed = (name: string): AccountRecord | undefined => {
    const key = name.toLowerCase();
    let record = known.get(key);
    if (!record) {
      record = services.accounts.get(key);
      if (record) known.set(key, record);
    }
    return record;
  };

  async function handle(ctx: RequestContext, target: FilesystemTarget): Promise<void> {
    const split = splitPrefix(target.rawPath);
    if (!split) throw new Error(`not a filesystem path: ${target.rawPath}`);
    if (split.prefix === "webhdfs") ctx.res.setHeader("x-ms-webhdfs-version", WEBHDFS_VERSION);
    ctx.res.setHeader("Status", "0x0");
    const rawUrl = ctx.req.url ?? "";
    const params = new QueryParams(rawUrl.includes("?") ? rawUrl.slice(rawUrl.indexOf("?") + 1) : "");
    const op = (params.get("op") ?? "").toUpperCase();
    ctx.entry.op = op || undefined;

    let token: Awaited<ReturnType<typeof services.tokens.verifyHeader>>;
    try {
      token = await services.tokens.verifyHeader(ctx.req.headers.authorization, {
        audiences: DATALAKE_AUDIENCES,
      });
    } catch (err) {
      if (err instanceof BearerTokenError) throw remoteErrors.authentication(err.message);
      throw err;
    }
    ctx.entry.principal = token.objectId;
    const account = accountNamed(target.account);
    if (!account) throw remoteErrors.accountNotFound(target.account);
    try {
      requireResourceTenant(token, accountTenant(services, account), `account '${account.name}'`);
    } catch (err) {
      if (err instanceof BearerTokenError) throw remoteErrors.authentication(err.message);
      throw err;
    }

    if (!op) throw remoteErrors.illegalArgument("REQUEST", "The op parameter is required");
    const operation = OPERATIONS.get(op);
    if (!operation)
      throw UNSUPPORTED.has(op)
        ? remoteErrors.unsupported(op)
        : remoteErrors.illegalArgument(op, `Unknown operation '${op}'`);
    if (operation.method !== ctx.method) {
      throw remoteErrors.illegalArgument(
        op,
        `${op} must be sent with HTTP ${operation.method}, not ${ctx.method}`,
      );
    }
    params.checkNumbers();
    const segments = normalisePath(split.rest);
    const store = stores.get(account);
    const req: FsRequest = {
      ctx,
      op,
      prefix: split.prefix,
      segments,
      path: pathString(segments),
      params,
      store,
      principal: {
        objectId: token.objectId,
        superUser:
          token.objectId === account.ownerObjectId || services.config.superUsers.includes(token.objectId),
      },
      top: () => store.meta.root(),
      denied: () => remoteErrors.accessDenied(op),
      fileInTheWay: (file) => remoteErrors.alreadyExists(op, file),
    };
    try {
      await purgeExpired(store, Date.now());
      await operation.run(req);
    } catch (err) {
      // Resource Manager deleted the account while this request ran: its data is gone, and so is the account.
      if (store.dropped) throw remoteErrors.accountNotFound(target.account);
      throw err;
    }
  }

  return {
    async handle(ctx, target) {
      try {
        await handle(ctx, target);
      } catch (err) {
        sendFailure(ctx, err);
      }
    },
    close() {
      unsubscribe();
      stores.close();
    },
  };
}

/** The tenant of an account: its subscription's (config accounts, and records from before subscriptions were kept: the default one). */
function accountTenant(services: EmulatorServices, account: AccountRecord): string | undefined {
  const { identity } = services;
  return identity.findSubscription(account.subscription ?? identity.defaultSubscription.id)?.tenantId;
}

/** Turns any failure into its wire error; unexpected ones go to server.ts (500 and a log line). */
function sendFailure(ctx: RequestContext, err: unknown): void {
  const op = ctx.entry.op ?? "REQUEST";
  let error: RemoteError | undefined;
  if (err instanceof RemoteError) error = err;
  else if (err instanceof PathError || err instanceof AclSpecError)
    error = remoteErrors.illegalArgument(op, err.message);
  // The parameters are range-checked before anything is stored; this is the store's own guard behind that.
  else if (err instanceof UnstorableValueError) error = remoteErrors.illegalArgument(op, err.message);
  else if (err instanceof BodyTooLargeError) error = remoteErrors.payloadTooLarge(op, MAX_WRITE_BYTES);
  else if (err instanceof SmallBodyTooLargeError)
    error = remoteErrors.illegalArgument(op, "The request body is too large");
  const send = error && (() => sendRemoteError(ctx.res, error, ctx.requestId));
  if (!answerFailure(ctx, err, send)) throw err;
}
