import type { StorageAccountInfo } from "../arm/storage/registry.js";
import { authenticationFailed, invalidSourceUri, type StorageAuthError } from "./errors.js";
import { parseRequest, type StorageRequest, type StorageTarget } from "./request.js";
import { type SasGrant, verifySas } from "./sas.js";
import { hasSas } from "./sas-fields.js";
import { type SharedKeyIdentity, verifySharedKey } from "./shared-key.js";
import type { UserDelegationKeys } from "./user-delegation.js";

export type { StorageAuthError, StorageAuthErrorCode } from "./errors.js";
export { isStorageAuthError } from "./errors.js";
export type { StorageOperation } from "./operations.js";
export type { StorageRequest, StorageTarget } from "./request.js";
export type { SasGrant, SasResource } from "./sas.js";
export type { SasKind } from "./sas-fields.js";
export type { SharedKeyIdentity } from "./shared-key.js";
export { SHARED_KEY_CLOCK_SKEW_MS } from "./shared-key.js";
export {
  type KeyInfo,
  MAX_KEY_INFO_BYTES,
  parseKeyInfo,
  renderUserDelegationKey,
  type UserDelegationKey,
  UserDelegationKeys,
} from "./user-delegation.js";

/**
 * Who is calling the Gen2 data plane (Blob and DFS endpoints), as far as keys are concerned:
 *
 * - `sharedKey`: `Authorization: SharedKey …` verified with key1 or key2. A superuser: ACLs are not evaluated,
 *   new paths are owned by `$superuser`/`$superuser` (§1.4 of the Gen2 reference).
 * - `sas`: a `sig` in the query, verified (account, service or user delegation SAS). Call
 *   `grant.authorize(operation[, target])` for every operation the request performs (a rename: the source and
 *   the destination); the SAS permissions are the only check, except with `grant.aclObjectId` (user delegation
 *   `suoid`), when ACLs are also evaluated for that oid. For user delegation SAS, `grant.delegator` is the key's
 *   owner: their RBAC role still bounds what the SAS can do.
 * - `bearer`: `Authorization: Bearer …`: not this module's; verify the token.
 * - `anonymous`: no credential at all: 401 `NoAuthenticationInformation` with the bearer challenge.
 * - `error`: refuse with `status`, `code`, `message` (and `detail` as Blob's `<AuthenticationErrorDetail>`).
 *
 * An Authorization header wins over a SAS in the query (the SAS parameters are then just part of the URL).
 */
export type StorageAuthResult =
  | SharedKeyIdentity
  | SasGrant
  | { readonly kind: "bearer" }
  | { readonly kind: "anonymous" }
  | StorageAuthError;

export interface StorageAuthOptions {
  /** The server's clock (tests pass their own). */
  readonly now?: Date;
  /** Derives the keys user delegation SAS are signed with. */
  readonly userDelegationKeys: UserDelegationKeys;
}

/**
 * Authenticates one data-plane request for `account` (looked up by the data plane from the host name or the
 * first path segment; `registry.lookup(name)` gives it, with fresh keys after a regeneration). Pure: reads
 * nothing but its arguments, never throws for bad input, and never puts a key or a signature into a result.
 */
export function authenticateStorageRequest(
  request: StorageRequest,
  account: StorageAccountInfo,
  options: StorageAuthOptions,
): StorageAuthResult {
  const now = options.now ?? new Date();
  const parsed = parseRequest(request);
  const authorization = parsed.headers.get("authorization");
  if (authorization !== undefined && authorization.trim() !== "") {
    const scheme = authorization.trim().split(/\s+/, 1)[0]!;
    if (scheme.toLowerCase() === "bearer") return { kind: "bearer" };
    if (scheme === "SharedKey" || scheme === "SharedKeyLite")
      return verifySharedKey(parsed, authorization, account, now);
    return authenticationFailed("The Authorization header's scheme is neither Bearer nor SharedKey.");
  }
  if (hasSas(parsed.query))
    return verifySas(parsed, account, { now, userDelegationKeys: options.userDelegationKeys });
  return { kind: "anonymous" };
}

/** The source of a rename, and the SAS its header carried, verified against it. */
export interface RenameSource {
  readonly kind: "renameSource";
  readonly source: StorageTarget;
  readonly sas?: SasGrant;
}

/**
 * `x-ms-rename-source: /{fs}/{path}[?{sas}]` (percent-encoded): the source it names (decoded) and, when it
 * carries its own SAS, that SAS verified against the source — then call `sas.authorize("path:renameSource",
 * source)`. Without one, the request's own credential covers the source.
 *
 * In path style the JS SDK prefixes `/{account}` (Python does not), and JS `move()` then sends the destination
 * URL *without* the account segment: take the account from this header and pass `pathStyle: false` for that
 * request. `sourceHasAccount` says whether the header starts with the account; by default, when its first
 * segment is the account's name (pass false for a host-style filesystem that happens to bear that name).
 */
export function authenticateRenameSource(
  renameSource: string,
  request: StorageRequest,
  account: StorageAccountInfo,
  options: StorageAuthOptions & { readonly sourceHasAccount?: boolean },
): RenameSource | StorageAuthError {
  const rawUrl = renameSource.startsWith("/") ? renameSource : `/${renameSource}`;
  const first = rawUrl.split(/[/?]/)[1] ?? "";
  const pathStyle = options.sourceHasAccount ?? first.toLowerCase() === account.name;
  const parsed = parseRequest({ ...request, rawUrl, pathStyle });
  if (parsed.target.filesystem === undefined || parsed.target.path === "")
    return invalidSourceUri("x-ms-rename-source must name /{filesystem}/{path}.");
  if (!hasSas(parsed.query)) return { kind: "renameSource", source: parsed.target };
  const now = options.now ?? new Date();
  const sas = verifySas(parsed, account, { now, userDelegationKeys: options.userDelegationKeys });
  if (sas.kind === "error") return sas;
  return { kind: "renameSource", source: parsed.target, sas };
}
