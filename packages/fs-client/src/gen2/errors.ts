import type { ThrottledError } from "@adlkit/core";
import {
  AccessDeniedError,
  BadOffsetError,
  FsError,
  type FsErrorInit,
  fromRemoteException,
  PathExistsError,
  PathNotFoundError,
  type RemoteException,
} from "../errors.js";

/**
 * DFS errors: `{"error":{"code","message"}}` bodies (XML on the Blob endpoint) and the `x-ms-error-code` header
 * (the only carrier on HEAD), mapped onto the same typed errors as Gen1's RemoteExceptions, so callers branch the
 * same way on both protocols. The service's code is kept as the error's `exception`.
 */

const XML_ENTITIES: Record<string, string> = { lt: "<", gt: ">", quot: '"', apos: "'", amp: "&" };

/** The service's code and message; the header wins (HEAD answers have no body). */
export function parseDfsError(text: string, headerCode: string | null): RemoteException | undefined {
  let code = headerCode ?? undefined;
  let message: string | undefined;
  try {
    const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    if (typeof parsed?.error?.code === "string") code ??= parsed.error.code;
    if (typeof parsed?.error?.message === "string") message = parsed.error.message;
  } catch {
    // Not JSON: the Blob endpoint's XML (`<Error><Code>…</Code><Message>…</Message>`), a HEAD, a proxy's page.
    const xml = /<Error>\s*<Code>([^<]*)<\/Code>\s*<Message>([^<]*)<\/Message>/.exec(text);
    if (xml) {
      code ??= xml[1];
      message = xml[2]?.replace(/&(lt|gt|quot|apos|amp);/g, (_, name: string) => XML_ENTITIES[name] ?? "");
    }
  }
  return code ? { exception: code, message } : undefined;
}

const NOT_FOUND = new Set([
  "PathNotFound",
  "FilesystemNotFound",
  "SourcePathNotFound",
  "RenameDestinationParentPathNotFound",
  "ResourceNotFound",
  "BlobNotFound",
  "ContainerNotFound",
]);
const EXISTS = new Set(["PathAlreadyExists", "FilesystemAlreadyExists", "BlobAlreadyExists"]);
const DENIED = new Set([
  "AuthorizationPermissionMismatch",
  "AuthorizationFailure",
  "AuthenticationFailed",
  "InvalidAuthenticationInfo",
  "NoAuthenticationInformation",
  "InsufficientAccountPermissions",
]);

const REASONS: Record<string, string> = {
  DirectoryNotEmpty: "directory is not empty",
  InvalidFlushPosition: "the staged data does not end where the flush says",
  PathConflict: "a path of the other kind is in the way",
  InvalidRenameSourcePath: "the destination is the source or inside it",
  InvalidSourceOrDestinationResourceType: "source and destination are of different kinds",
  RenameDestinationParentPathNotFound: "the destination's parent does not exist",
  Md5Mismatch: "the data arrived damaged (Content-MD5 differs)",
  ConditionNotMet: "the path changed (its ETag differs)",
  LeaseIdMissing: "the path is leased",
};

export function fromDfsError(init: FsErrorInit, headers?: Headers): FsError | ThrottledError {
  const code = init.remote?.exception ?? "";
  const reason = REASONS[code];
  const withReason = reason ? { ...init, reason } : init;
  if (init.status === 429 || code === "ServerBusy" || code === "OperationTimedOut")
    return fromRemoteException(
      { ...init, remote: { exception: "ThrottledException", message: init.remote?.message } },
      headers,
    );
  if (NOT_FOUND.has(code) || (!code && init.status === 404)) return new PathNotFoundError(withReason);
  if (EXISTS.has(code)) return new PathExistsError(init);
  if (code === "InvalidFlushPosition") return new BadOffsetError(withReason);
  if (DENIED.has(code) || init.status === 401 || (init.status === 403 && !code))
    return new AccessDeniedError({
      hint: "Check the ACLs and permissions of the path and its parents (x on every parent), and that the token is for the storage audience (https://storage.azure.com/).",
      ...init,
    });
  if (code === "DirectoryNotEmpty") return new FsError({ code: "DIRECTORY_NOT_EMPTY", ...withReason });
  return new FsError(withReason);
}
