import type { StorageAccountInfo } from "../arm/storage/registry.js";
import { STORAGE_AUDIENCES } from "../audiences.js";
import { BearerTokenError, requireResourceTenant } from "../auth/verify-bearer.js";
import type { RequestContext } from "../http/context.js";
import {
  authenticateStorageRequest,
  type SasGrant,
  type StorageTarget as SignedTarget,
  type StorageAuthError,
  type StorageOperation,
  type UserDelegationKeys,
} from "../storage-auth/index.js";
import type { Principal } from "../store/acl.js";
import { type StorageApi, StorageError, storageErrors } from "./errors.js";

/**
 * Who a Gen2 request is, from its credential (reference §1.4):
 *
 * - a bearer token of the account's tenant: ACLs decide, and only the account's owner and the configured
 *   super-users hold account-level rights (like Storage Blob Data Owner);
 * - Shared Key: a super-user named `$superuser` (what Azure writes as owner and group of new items);
 * - a SAS: what its permissions and scope allow (`authorize`), with no ACL check, except a user delegation SAS
 *   with `suoid`, whose ACLs are checked for that object id. A user delegation SAS is bounded by its delegator's
 *   role as well, and only the owner and super-users hold one here (the emulator knows no other data roles).
 */
export type Credential =
  | { readonly kind: "bearer"; readonly objectId: string; readonly tenantId: string }
  | { readonly kind: "sharedKey" }
  | { readonly kind: "sas"; readonly grant: SasGrant };

export interface Caller {
  readonly credential: Credential;
  /** Whose rights the namespace rules check. */
  readonly principal: Principal;
  /** Creating, deleting, changing and listing filesystems (RBAC in Azure; ACLs cannot grant it). */
  readonly accountRight: boolean;
  /** Whether `objectId` holds a data role on the account (its owner, a configured super-user). */
  holdsRole(objectId: string): boolean;
  /** For a second SAS the request carries: a rename source's. */
  readonly userDelegationKeys: UserDelegationKeys;
}

/** The owner of new items, as Azure names it for Shared Key and key-signed SAS callers. */
export const SUPERUSER = "$superuser";

export interface AuthenticateArgs {
  ctx: RequestContext;
  api: StorageApi;
  account: StorageAccountInfo;
  /** True when the URL's first segment is the account (path style, the JS `move()` quirk excepted). */
  accountInPath: boolean;
  userDelegationKeys: UserDelegationKeys;
}

/** Authenticates a request, or throws the service's 401/403. */
export async function authenticate(args: AuthenticateArgs): Promise<Caller> {
  const { ctx, account } = args;
  const superUsers = ctx.services.config.superUsers;
  const holdsRole = (objectId: string) => objectId === account.owner || superUsers.includes(objectId);
  const who = authenticateStorageRequest(signedRequest(args), account, {
    userDelegationKeys: args.userDelegationKeys,
  });
  const challenge = `Bearer authorization_uri=${ctx.baseUrl.replace(/\/$/, "")}/${account.tenant}/oauth2/authorize resource_id=https://storage.azure.com`;
  const common = { holdsRole, userDelegationKeys: args.userDelegationKeys };
  switch (who.kind) {
    case "error":
      throw authError(who);
    case "anonymous":
      throw storageErrors.noAuthentication(challenge);
    case "sharedKey":
      return {
        credential: { kind: "sharedKey" },
        principal: { objectId: SUPERUSER, superUser: true },
        accountRight: true,
        ...common,
      };
    case "sas": {
      requireDelegatorRole(who, common);
      const aclObjectId = who.aclObjectId;
      return {
        ...common,
        credential: { kind: "sas", grant: who },
        principal:
          aclObjectId === undefined
            ? { objectId: who.ownerOfNewItems, superUser: true }
            : { objectId: aclObjectId, superUser: false },
        accountRight: true,
      };
    }
    case "bearer": {
      try {
        const token = await ctx.services.tokens.verifyHeader(ctx.req.headers.authorization!, {
          audiences: STORAGE_AUDIENCES,
        });
        requireResourceTenant(token, account.tenant, `storage account '${account.name}'`);
        const superUser = holdsRole(token.objectId);
        return {
          credential: { kind: "bearer", objectId: token.objectId, tenantId: token.tenantId },
          principal: { objectId: token.objectId, superUser },
          accountRight: superUser,
          ...common,
        };
      } catch (err) {
        if (err instanceof BearerTokenError)
          throw storageErrors.invalidAuthentication(err.message, challenge);
        throw err;
      }
    }
  }
}

/** A user delegation SAS is worth no more than its delegator's role: 403 when they hold none. */
export function requireDelegatorRole(grant: SasGrant, caller: Pick<Caller, "holdsRole">): void {
  if (grant.delegator && !caller.holdsRole(grant.delegator.objectId))
    throw authError({
      kind: "error",
      status: 403,
      code: "AuthorizationPermissionMismatch",
      message: "This request is not authorized to perform this operation using this permission.",
      detail: "The user delegation key's owner holds no data role on this storage account.",
    });
}

/** The request as Shared Key and SAS see it: the raw URL and headers, exactly as received. */
export function signedRequest(args: Omit<AuthenticateArgs, "account" | "userDelegationKeys">) {
  const { ctx } = args;
  return {
    method: ctx.method,
    rawUrl: ctx.req.url ?? "/",
    headers: ctx.req.headers,
    clientIp: ctx.req.socket.remoteAddress ?? "",
    // The emulator listens on HTTPS only.
    secure: true,
    endpoint: args.api,
    pathStyle: args.accountInPath,
  };
}

/** Refuses unless the caller's credential allows `operation` (SAS only: the other credentials always do). */
export function authorize(caller: Caller, operation: StorageOperation, target?: SignedTarget): void {
  if (caller.credential.kind !== "sas") return;
  const refusal = caller.credential.grant.authorize(operation, target);
  if (refusal) throw authError(refusal);
}

/** The storage-auth refusal as the data plane's error (Blob adds `<AuthenticationErrorDetail>`). */
export function authError(refusal: StorageAuthError): StorageError {
  return new StorageError(refusal.status, refusal.code, refusal.message, {
    ...(refusal.detail ? { details: { AuthenticationErrorDetail: refusal.detail } } : {}),
  });
}
