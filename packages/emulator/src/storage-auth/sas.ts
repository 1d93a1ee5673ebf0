import type { StorageAccountInfo } from "../arm/storage/registry.js";
import {
  authorizationFailure,
  isStorageAuthError,
  keyBasedAuthenticationNotPermitted,
  permissionMismatch,
  resourceTypeMismatch,
  type StorageAuthError,
  sasMalformed,
  sasSignatureMismatch,
  serviceMismatch,
} from "./errors.js";
import {
  ACCOUNT_PERMISSION_LETTERS,
  grantsAny,
  RESOURCE_TYPE_LETTER,
  requirementOf,
  SERVICE_PERMISSION_LETTERS,
  type StorageOperation,
} from "./operations.js";
import { type ParsedRequest, pathSegments, queryValue, resolveDots, type StorageTarget } from "./request.js";
import {
  checkProtocol,
  checkSasTimes,
  checkSipFormat,
  checkSourceIp,
  parseSasTime,
  readSasValues,
  type SasKind,
  type SasValues,
  sasKindOf,
} from "./sas-fields.js";
import { sasCanonicalResource, sasStringToSign } from "./sas-sign.js";
import { signatureMatches } from "./signature.js";
import type { UserDelegationKeys } from "./user-delegation.js";

/** What a SAS was signed for: the whole account, a filesystem, one file/blob, or a directory and its subtree. */
export type SasResource =
  | { readonly type: "account" }
  | { readonly type: "container"; readonly filesystem: string }
  | { readonly type: "blob"; readonly filesystem: string; readonly path: string }
  | { readonly type: "directory"; readonly filesystem: string; readonly path: string };

/** A verified SAS: what it grants. ACLs are not evaluated for it unless `aclObjectId` is set (§1.4). */
export interface SasGrant {
  readonly kind: "sas";
  readonly sasKind: SasKind;
  /** The `sp` letters. */
  readonly permissions: ReadonlySet<string>;
  readonly resource: SasResource;
  /** The filesystem/path the request addressed (for `sr=d` listings: the `directory` parameter). */
  readonly target: StorageTarget;
  readonly expiresOn: Date;
  /** User delegation SAS: the key's owner (`skoid`, `sktid`); their RBAC role bounds what the SAS can do. */
  readonly delegator?: { readonly objectId: string; readonly tenantId: string };
  /** User delegation SAS `saoid` (trusted, no ACL check) or `suoid` (ACLs checked as this oid). */
  readonly actingObjectId?: string;
  /** Set with `suoid`: the identity the data plane evaluates POSIX ACLs for. */
  readonly aclObjectId?: string;
  /** Owner and owning group of items the request creates: `$superuser` for key-signed SAS. [INF for UD SAS] */
  readonly ownerOfNewItems: string;
  readonly correlationId?: string;
  readonly encryptionScope?: string;
  /** `rscc rscd rsce rscl rsct`: response headers a GET/HEAD answers with instead of the stored ones. */
  readonly responseHeaders: {
    readonly cacheControl?: string;
    readonly contentDisposition?: string;
    readonly contentEncoding?: string;
    readonly contentLanguage?: string;
    readonly contentType?: string;
  };
  /** Refusal, or undefined when this SAS allows `operation` on `target` (default: the request's target). */
  authorize(operation: StorageOperation, target?: StorageTarget): StorageAuthError | undefined;
}

export interface SasOptions {
  readonly now: Date;
  readonly userDelegationKeys: UserDelegationKeys;
}

function within(scope: SasResource, level: "container" | "object", target: StorageTarget): boolean {
  if (scope.type === "account") return true;
  if (target.filesystem !== scope.filesystem) return false;
  if (scope.type === "container") return true;
  if (scope.type === "blob") return level === "object" && target.path === scope.path;
  return target.path === scope.path || target.path.startsWith(`${scope.path}/`);
}

function makeAuthorize(
  kind: SasKind,
  v: SasValues,
  permissions: ReadonlySet<string>,
  scope: SasResource,
  requestTarget: StorageTarget,
) {
  return (
    operation: StorageOperation,
    target: StorageTarget = requestTarget,
  ): StorageAuthError | undefined => {
    const need = requirementOf(operation);
    if (kind === "account") {
      if (!v.srt!.includes(RESOURCE_TYPE_LETTER[need.level])) return resourceTypeMismatch();
      return grantsAny(permissions, need.account) ? undefined : permissionMismatch();
    }
    if (need.service === null) return permissionMismatch();
    if (need.level !== "service" && !within(scope, need.level, target)) return permissionMismatch();
    return grantsAny(permissions, need.service) ? undefined : permissionMismatch();
  };
}

/** The resource a service/UD SAS is signed over, recovered from the request as the service does. */
function signedResource(v: SasValues, parsed: ParsedRequest): SasResource | StorageAuthError {
  const filesystem = parsed.target.filesystem;
  if (filesystem === undefined)
    return authorizationFailure("A service SAS addresses a filesystem; this request addresses none.");
  switch (v.sr) {
    case "c":
      return { type: "container", filesystem };
    case "b":
    case "bs":
    case "bv":
      if (parsed.segments.length === 0)
        return authorizationFailure("A blob SAS (sr=b) addresses a file; this request addresses none.");
      return { type: "blob", filesystem, path: parsed.segments.join("/") };
    case "d": {
      if (v.sdd === undefined || !/^\d{1,4}$/.test(v.sdd))
        return sasMalformed("sdd is mandatory for sr=d: the depth of the signed directory.");
      const depth = Number(v.sdd);
      if (depth > parsed.segments.length)
        return authorizationFailure(`The directory depth sdd=${depth} is deeper than the path addressed.`);
      return { type: "directory", filesystem, path: parsed.segments.slice(0, depth).join("/") };
    }
    default:
      return sasMalformed("sr must be one of c, b, bs, bv, d.");
  }
}

function checkFields(kind: SasKind, v: SasValues): StorageAuthError | undefined {
  if (kind === "userDelegation" && v.si !== undefined)
    return sasMalformed("A user delegation SAS cannot name a stored access policy (si).");
  if (kind === "service" && v.si !== undefined)
    return authorizationFailure(
      "Stored access policies (si) are not served by this emulator (container ACLs are not stored); sign sp and se into the SAS instead.",
    );
  if (!v.sp) return sasMalformed("sp is mandatory. Cannot be empty.");
  const allowed = kind === "account" ? ACCOUNT_PERMISSION_LETTERS : SERVICE_PERMISSION_LETTERS;
  if ([...v.sp].some((l) => !allowed.includes(l)))
    return sasMalformed(
      `sp holds a letter that a${kind === "account" ? "n account" : " service"} SAS does not define.`,
    );
  if (kind === "account" && [...v.srt!].some((l) => !"sco".includes(l)))
    return sasMalformed("srt letters are s, c and o.");
  if (kind === "account" && [...v.ss!].some((l) => !"bfqt".includes(l)))
    return sasMalformed("ss letters are b, f, q and t.");
  if (kind === "userDelegation" && v.saoid !== undefined && v.suoid !== undefined)
    return sasMalformed("saoid and suoid are mutually exclusive.");
  return checkSipFormat(v);
}

/** Verifies the SAS in `parsed`'s query against `account` and the request's own resource. */
export function verifySas(
  parsed: ParsedRequest,
  account: StorageAccountInfo,
  options: SasOptions,
): SasGrant | StorageAuthError {
  const v = readSasValues(parsed.query);
  const kind = sasKindOf(v);
  if (isStorageAuthError(kind)) return kind;
  if (kind !== "userDelegation" && !account.allowSharedKeyAccess) return keyBasedAuthenticationNotPermitted();
  const fieldError = checkFields(kind, v);
  if (fieldError) return fieldError;

  // A directory SAS may list through the filesystem URL with ?directory=…: that names the path addressed.
  let view = parsed;
  const directory = queryValue(parsed.query, "directory");
  if (v.sr === "d" && parsed.segments.length === 0 && directory) {
    const segments = pathSegments(directory);
    view = { ...parsed, segments, target: { ...parsed.target, path: resolveDots(segments).join("/") } };
  }
  let scope: SasResource = { type: "account" };
  let canonical = "";
  if (kind !== "account") {
    const resource = signedResource(v, view);
    if (isStorageAuthError(resource)) return resource;
    if (resource.type === "container") {
      canonical = sasCanonicalResource(account.name, resource.filesystem, undefined);
      scope = resource;
    } else if (resource.type !== "account") {
      canonical = sasCanonicalResource(account.name, resource.filesystem, resource.path);
      // Scope checks compare resolved paths: `sr=d` over `a` must not reach `a/../b`.
      scope = { ...resource, path: resolveDots(pathSegments(resource.path)).join("/") };
    }
  }
  const stringToSign = sasStringToSign(kind, account.name, canonical, v, view);
  if (kind === "userDelegation") {
    const key = options.userDelegationKeys.keyForSas(account.name, v, options.now);
    if (isStorageAuthError(key)) return key;
    if (!signatureMatches(key, stringToSign, v.sig!)) return sasSignatureMismatch(stringToSign);
  } else {
    const k1 = signatureMatches(Buffer.from(account.keys.key1, "base64"), stringToSign, v.sig!);
    const k2 = signatureMatches(Buffer.from(account.keys.key2, "base64"), stringToSign, v.sig!);
    if (!k1 && !k2) return sasSignatureMismatch(stringToSign);
  }
  const refusal =
    checkSasTimes(v, options.now, true) ??
    checkSourceIp(v, parsed.request.clientIp) ??
    checkProtocol(v, parsed.request.secure) ??
    (kind === "account" && !v.ss!.includes("b") ? serviceMismatch() : undefined);
  if (refusal) return refusal;

  const permissions = new Set(v.sp!);
  const acting = v.saoid ?? v.suoid;
  return {
    kind: "sas",
    sasKind: kind,
    permissions,
    resource: scope,
    target: view.target,
    expiresOn: new Date(parseSasTime(v.se!)!),
    ...(kind === "userDelegation" ? { delegator: { objectId: v.skoid!, tenantId: v.sktid! } } : {}),
    ...(acting ? { actingObjectId: acting } : {}),
    ...(v.suoid ? { aclObjectId: v.suoid } : {}),
    ownerOfNewItems: kind === "userDelegation" ? (acting ?? v.skoid!) : "$superuser",
    ...(v.scid ? { correlationId: v.scid } : {}),
    ...(v.ses ? { encryptionScope: v.ses } : {}),
    responseHeaders: {
      ...(v.rscc ? { cacheControl: v.rscc } : {}),
      ...(v.rscd ? { contentDisposition: v.rscd } : {}),
      ...(v.rsce ? { contentEncoding: v.rsce } : {}),
      ...(v.rscl ? { contentLanguage: v.rscl } : {}),
      ...(v.rsct ? { contentType: v.rsct } : {}),
    },
    authorize: makeAuthorize(kind, v, permissions, scope, view.target),
  };
}
