import { authError } from "../dfs/credentials.js";
import { storageErrors } from "../dfs/errors.js";
import { header } from "../dfs/params.js";
import type { StorageRequest } from "../dfs/request.js";
import { readSmallBody } from "../http/respond.js";
import { MAX_KEY_INFO_BYTES, parseKeyInfo, renderUserDelegationKey } from "../storage-auth/index.js";

/**
 * Get User Delegation Key (`POST /?restype=service&comp=userdelegationkey`, reference §1.3): a key for the
 * bearer caller, which signs user delegation SAS. Only a bearer principal holding a data role on the account
 * (its owner, a configured super-user; Azure's `generateUserDelegationKey` action) gets one; Shared Key and SAS
 * callers are refused with 403 AuthenticationFailed, as the service does. Keys are derived, not stored
 * (storage-auth/user-delegation.ts).
 */
export async function getUserDelegationKey(req: StorageRequest): Promise<void> {
  const credential = req.caller.credential;
  if (credential.kind !== "bearer")
    throw authError({
      kind: "error",
      status: 403,
      code: "AuthenticationFailed",
      message:
        "Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.",
      detail: "Only an OAuth (bearer) principal can get a user delegation key.",
    });
  if (!req.caller.holdsRole(credential.objectId)) throw storageErrors.permissionMismatch();
  const info = parseKeyInfo(await readSmallBody(req.ctx.req, MAX_KEY_INFO_BYTES), new Date());
  if ("kind" in info) throw authError(info);
  // The key's version is the request's: the SDKs sign `skv` with what the service answered.
  const version = header(req.headers, "x-ms-version")!;
  const key = req.caller.userDelegationKeys.issue(
    req.account.name,
    { oid: credential.objectId, tid: credential.tenantId },
    info,
    version,
  );
  const body = renderUserDelegationKey(key);
  req.ctx.res.writeHead(200, {
    "Content-Type": "application/xml",
    "Content-Length": Buffer.byteLength(body),
  });
  req.ctx.res.end(body);
}
