/**
 * Refusals of Shared Key and SAS callers, with the service's status, code and message (§1.2, §1.3, §4.4 of the
 * Gen2 reference). The data plane renders them: DFS as `{"error":{"code","message"}}`, Blob as `<Error>` with
 * `<AuthenticationErrorDetail>` when `detail` is set, plus `x-ms-error-code` on both.
 *
 * Nothing here ever carries a secret: no account key, no user delegation key, and no signature — neither the
 * one computed nor the one the caller sent (Azure echoes the latter; we leave it out so that logs of error
 * bodies cannot replay a request). A string-to-sign holds no secret and is what makes a signature mismatch
 * debuggable, so Shared Key and SAS failures repeat the one the server used, as Azure does.
 */
export interface StorageAuthError {
  readonly kind: "error";
  readonly status: 400 | 403;
  readonly code: StorageAuthErrorCode;
  /** The service's message, without the `RequestId:`/`Time:` lines the data plane appends. */
  readonly message: string;
  /** Blob's `<AuthenticationErrorDetail>`: why, in more words. Never a secret. */
  readonly detail?: string;
}

export type StorageAuthErrorCode =
  | "AuthenticationFailed"
  | "AuthorizationFailure"
  | "AuthorizationPermissionMismatch"
  | "AuthorizationResourceTypeMismatch"
  | "AuthorizationServiceMismatch"
  | "AuthorizationSourceIPMismatch"
  | "AuthorizationProtocolMismatch"
  | "KeyBasedAuthenticationNotPermitted"
  | "InvalidXmlDocument"
  | "InvalidXmlNodeValue"
  | "InvalidSourceUri";

const AUTHENTICATION_FAILED =
  "Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.";

/** Bounds what a caller-chosen value adds to an error text. */
export function quoteForError(value: string, max = 256): string {
  const clipped = value.length > max ? `${value.slice(0, max)}…` : value;
  return clipped.replace(/[\r\n]/g, " ");
}

export function authenticationFailed(detail: string): StorageAuthError {
  return { kind: "error", status: 403, code: "AuthenticationFailed", message: AUTHENTICATION_FAILED, detail };
}

/** Shared Key: no computed signature matched. `stringToSign` is the server's canonical form. */
export function sharedKeyMismatch(stringToSign: string): StorageAuthError {
  return authenticationFailed(
    `The MAC signature found in the HTTP request is not the same as any computed signature. Server used following string to sign: '${stringToSign}'.`,
  );
}

/** SAS: the signature does not match the fields and the addressed resource. */
export function sasSignatureMismatch(stringToSign: string): StorageAuthError {
  return authenticationFailed(`Signature did not match. String to sign used was ${stringToSign}`);
}

export function sasMalformed(why: string): StorageAuthError {
  return authenticationFailed(`Signature fields not well formed. ${why}`);
}

export function keyBasedAuthenticationNotPermitted(): StorageAuthError {
  return {
    kind: "error",
    status: 403,
    code: "KeyBasedAuthenticationNotPermitted",
    message: "Key based authentication is not permitted on this storage account.",
  };
}

export function permissionMismatch(detail?: string): StorageAuthError {
  return {
    kind: "error",
    status: 403,
    code: "AuthorizationPermissionMismatch",
    message: "This request is not authorized to perform this operation using this permission.",
    ...(detail ? { detail } : {}),
  };
}

export function resourceTypeMismatch(): StorageAuthError {
  return {
    kind: "error",
    status: 403,
    code: "AuthorizationResourceTypeMismatch",
    message: "This request is not authorized to perform this operation using this resource type.",
  };
}

export function serviceMismatch(): StorageAuthError {
  return {
    kind: "error",
    status: 403,
    code: "AuthorizationServiceMismatch",
    message: "This request is not authorized to perform this operation using this service.",
  };
}

export function sourceIpMismatch(ip: string): StorageAuthError {
  return {
    kind: "error",
    status: 403,
    code: "AuthorizationSourceIPMismatch",
    message: `This request is not authorized to perform this operation using this source IP ${quoteForError(ip, 64)}.`,
  };
}

export function protocolMismatch(): StorageAuthError {
  return {
    kind: "error",
    status: 403,
    code: "AuthorizationProtocolMismatch",
    message: "This request is not authorized to perform this operation using this protocol.",
  };
}

export function authorizationFailure(detail?: string): StorageAuthError {
  return {
    kind: "error",
    status: 403,
    code: "AuthorizationFailure",
    message: "This request is not authorized to perform this operation.",
    ...(detail ? { detail } : {}),
  };
}

export function invalidXmlDocument(detail: string): StorageAuthError {
  return {
    kind: "error",
    status: 400,
    code: "InvalidXmlDocument",
    message: "XML specified is not syntactically valid.",
    detail,
  };
}

export function invalidXmlNodeValue(node: string, detail: string): StorageAuthError {
  return {
    kind: "error",
    status: 400,
    code: "InvalidXmlNodeValue",
    message: `The value for one of the XML nodes is not in the correct format. (${node})`,
    detail,
  };
}

export function invalidSourceUri(detail: string): StorageAuthError {
  return {
    kind: "error",
    status: 400,
    code: "InvalidSourceUri",
    message: "The source URI is invalid.",
    detail,
  };
}

export function isStorageAuthError(value: unknown): value is StorageAuthError {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "error";
}
