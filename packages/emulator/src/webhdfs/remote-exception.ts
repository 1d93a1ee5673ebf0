import type { ServerResponse } from "node:http";

/** ADLS status codes that show up in the `Status` header and in error messages. */
export const ADLS_CODES = {
  ok: "0x0",
  notFound: "0x8309000A",
  badOffset: "0x83090015",
  aclFailed: "0x83090AA2",
  leaseConflict: "0x83090A16",
  badRequest: "0x83090A01",
  conflict: "0x83090A0C",
} as const;

/**
 * A WebHDFS error as it goes on the wire: status, `RemoteException.exception`, `javaClassName` and a message.
 * Every error the filesystem answers with is made by one of the factories below, so the shapes stay in one place.
 */
export class RemoteError extends Error {
  constructor(
    readonly status: number,
    readonly exception: string,
    readonly javaClassName: string,
    /** Text without the `[request id][time]` suffix, which is added when the error is sent. */
    readonly text: string,
    readonly adlsCode: string,
  ) {
    super(text);
    this.name = "RemoteError";
  }
}

/** `<OP> failed with error 0x… (<text>).`, the ADLS message pattern. */
function failed(op: string, code: string, text: string): string {
  return `${op} failed with error ${code} (${text}).`;
}

export const remoteErrors = {
  notFound: (path: string) =>
    new RemoteError(
      404,
      "FileNotFoundException",
      "java.io.FileNotFoundException",
      `File/Folder does not exist: ${path}`,
      ADLS_CODES.notFound,
    ),
  illegalArgument: (op: string, text: string) =>
    new RemoteError(
      400,
      "IllegalArgumentException",
      "java.lang.IllegalArgumentException",
      failed(op, ADLS_CODES.badRequest, text),
      ADLS_CODES.badRequest,
    ),
  unsupported: (op: string) =>
    new RemoteError(
      400,
      "UnsupportedOperationException",
      "java.lang.UnsupportedOperationException",
      `The operation '${op}' is not supported by adl-emulator.`,
      ADLS_CODES.badRequest,
    ),
  badOffset: (op: string) =>
    new RemoteError(
      400,
      "BadOffsetException",
      "org.apache.hadoop.fs.adl.BadOffsetException",
      failed(op, ADLS_CODES.badOffset, "Bad request. Invalid offset"),
      ADLS_CODES.badOffset,
    ),
  leaseConflict: (op: string) =>
    new RemoteError(
      400,
      "IOException",
      "java.io.IOException",
      failed(
        op,
        ADLS_CODES.leaseConflict,
        "Another writer holds the lease on this file; its stream is still open",
      ),
      ADLS_CODES.leaseConflict,
    ),
  accessDenied: (op: string) =>
    new RemoteError(
      403,
      "AccessControlException",
      "org.apache.hadoop.security.AccessControlException",
      failed(
        op,
        ADLS_CODES.aclFailed,
        "Forbidden. ACL verification failed. Either the resource does not exist or the user is not authorized to perform the requested operation",
      ),
      ADLS_CODES.aclFailed,
    ),
  alreadyExists: (op: string, path: string) =>
    new RemoteError(
      403,
      "FileAlreadyExistsException",
      "org.apache.hadoop.fs.FileAlreadyExistsException",
      failed(op, ADLS_CODES.conflict, `Conflict. The path ${path} already exists`),
      ADLS_CODES.conflict,
    ),
  notEmpty: (op: string, path: string) =>
    new RemoteError(
      403,
      "PathIsNotEmptyDirectoryException",
      "org.apache.hadoop.fs.PathIsNotEmptyDirectoryException",
      failed(op, ADLS_CODES.conflict, `The directory ${path} is not empty; use recursive=true`),
      ADLS_CODES.conflict,
    ),
  authentication: (text: string) =>
    new RemoteError(
      401,
      "SecurityException",
      "java.lang.SecurityException",
      `Authentication failed: ${text}`,
      "0x83090A17",
    ),
  accountNotFound: (account: string) =>
    new RemoteError(
      404,
      "FileNotFoundException",
      "java.io.FileNotFoundException",
      `The Data Lake account '${account}' does not exist.`,
      ADLS_CODES.notFound,
    ),
  payloadTooLarge: (op: string, limit: number) =>
    new RemoteError(
      400,
      "IllegalArgumentException",
      "java.lang.IllegalArgumentException",
      failed(op, ADLS_CODES.badRequest, `The request body exceeds the limit of ${limit} bytes`),
      ADLS_CODES.badRequest,
    ),
};

/** Sends a `RemoteException` body with an exact Content-Length (the Java SDK only parses errors that have one). */
export function sendRemoteError(
  res: ServerResponse,
  error: RemoteError,
  requestId: string,
  extraHeaders: Record<string, string> = {},
): void {
  const message = `${error.text} [${requestId}][${new Date().toISOString()}]`;
  const text = JSON.stringify({
    RemoteException: { exception: error.exception, message, javaClassName: error.javaClassName },
  });
  res.writeHead(error.status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
    Status: error.adlsCode,
    ...extraHeaders,
  });
  res.end(text);
}
