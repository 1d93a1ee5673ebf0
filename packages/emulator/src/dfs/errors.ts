import type { ServerResponse } from "node:http";

/**
 * The one error model of the Gen2 data plane. An error names its DFS code and, where the Blob endpoint says it
 * differently (ContainerNotFound for FilesystemNotFound, BlobNotFound for PathNotFound, …), its Blob code; the
 * answer takes the shape of the API the request was classified as (JSON `{"error":{"code","message"}}` on DFS,
 * XML `<Error><Code>` on Blob, no body on HEAD), always with `x-ms-error-code` (reference §4).
 */
export type StorageApi = "dfs" | "blob";

export class StorageError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly options: {
      /** The Blob endpoint's code and message for the same condition, when they differ. */
      blob?: { code: string; message: string };
      headers?: Record<string, string>;
      /** Extra XML elements of a Blob error (`HeaderName`, `QueryParameterName`, …). */
      details?: Record<string, string>;
    } = {},
  ) {
    super(message);
    this.name = "StorageError";
  }
}

const e = (status: number, code: string, message: string, options?: StorageError["options"]) =>
  new StorageError(status, code, message, options);

const blobSide = (code: string, message: string) => ({ blob: { code, message } });

/** Every error the data plane sends, by condition. */
export const storageErrors = {
  noAuthentication: (challenge: string) =>
    e(
      401,
      "NoAuthenticationInformation",
      "Server failed to authenticate the request. Please refer to the information in the www-authenticate header.",
      { headers: { "WWW-Authenticate": challenge } },
    ),
  invalidAuthentication: (detail: string, challenge: string) =>
    e(401, "InvalidAuthenticationInfo", `Server failed to authenticate the request. ${detail}`, {
      headers: { "WWW-Authenticate": challenge },
      details: { AuthenticationErrorDetail: detail },
    }),
  permissionMismatch: () =>
    e(
      403,
      "AuthorizationPermissionMismatch",
      "This request is not authorized to perform this operation using this permission.",
    ),
  accountNotFound: (name: string) =>
    e(404, "ResourceNotFound", `The storage account '${name}' does not exist on this emulator.`),
  filesystemNotFound: () =>
    e(
      404,
      "FilesystemNotFound",
      "The specified filesystem does not exist.",
      blobSide("ContainerNotFound", "The specified container does not exist."),
    ),
  filesystemExists: () =>
    e(
      409,
      "FilesystemAlreadyExists",
      "The specified filesystem already exists.",
      blobSide("ContainerAlreadyExists", "The specified container already exists."),
    ),
  pathNotFound: () =>
    e(
      404,
      "PathNotFound",
      "The specified path does not exist.",
      blobSide("BlobNotFound", "The specified blob does not exist."),
    ),
  pathExists: (kind: "file" | "directory") =>
    e(409, "PathAlreadyExists", "The specified path already exists.", {
      ...blobSide("BlobAlreadyExists", "The specified blob already exists."),
      headers: { "x-ms-existing-resource-type": kind },
    }),
  pathConflict: () =>
    e(
      409,
      "PathConflict",
      "The specified path, or an element of the path, exists and its resource type is invalid for this operation.",
    ),
  directoryNotEmpty: () =>
    e(
      409,
      "DirectoryNotEmpty",
      "The recursive query parameter value must be true to delete a non-empty directory.",
    ),
  rootNotAllowed: (what: string) =>
    e(400, "InvalidInput", `The root directory of a filesystem cannot be ${what}.`),
  sourcePathNotFound: () =>
    e(404, "SourcePathNotFound", "The source path for a rename operation does not exist."),
  renameParentNotFound: () =>
    e(
      404,
      "RenameDestinationParentPathNotFound",
      "The parent directory of the destination path does not exist.",
    ),
  invalidRenameSource: () =>
    e(
      409,
      "InvalidRenameSourcePath",
      "The source directory cannot be the same as the destination directory, nor can the destination be a subdirectory of the source directory.",
    ),
  renameTypeMismatch: () =>
    e(
      409,
      "InvalidSourceOrDestinationResourceType",
      "The source and destination resource type must be identical.",
    ),
  invalidFlushPosition: () =>
    e(
      400,
      "InvalidFlushPosition",
      "The uploaded data is not contiguous or the position query parameter value is not equal to the length of the file after appending the uploaded data.",
    ),
  contentLengthMustBeZero: () =>
    e(400, "ContentLengthMustBeZero", "The Content-Length request header must be zero."),
  md5Mismatch: () =>
    e(
      400,
      "Md5Mismatch",
      "The MD5 value specified in the request did not match with the MD5 value calculated by the server.",
    ),
  conditionNotMet: () =>
    e(412, "ConditionNotMet", "The condition specified using HTTP conditional header(s) is not met."),
  sourceConditionNotMet: () =>
    e(
      412,
      "SourceConditionNotMet",
      "The source condition specified using HTTP conditional header(s) is not met.",
    ),
  invalidRange: (size: number) =>
    e(416, "InvalidRange", "The range specified is invalid for the current size of the resource.", {
      headers: { "Content-Range": `bytes */${size}` },
    }),
  invalidHeader: (name: string, value: string, why: string) =>
    e(
      400,
      "InvalidHeaderValue",
      `The value for one of the HTTP headers is not in the correct format. ${why}`,
      {
        details: { HeaderName: name, HeaderValue: value.slice(0, 100) },
      },
    ),
  missingHeader: (name: string) =>
    e(
      400,
      "MissingRequiredHeader",
      `An HTTP header that's mandatory for this request is not specified: ${name}.`,
      {
        details: { HeaderName: name },
      },
    ),
  invalidQuery: (name: string, value: string, why: string) =>
    e(
      400,
      "InvalidQueryParameterValue",
      `Value for one of the query parameters specified in the request URI is invalid. ${why}`,
      { details: { QueryParameterName: name, QueryParameterValue: value.slice(0, 100), Reason: why } },
    ),
  missingQuery: (name: string) =>
    e(
      400,
      "MissingRequiredQueryParameter",
      `A query parameter that's mandatory for this request is not specified: ${name}.`,
      { details: { QueryParameterName: name } },
    ),
  invalidInput: (why: string) => e(400, "InvalidInput", `One of the request inputs is not valid. ${why}`),
  invalidResourceName: (why: string) =>
    e(400, "InvalidResourceName", `The specifed resource name contains invalid characters. ${why}`),
  invalidUri: (why: string) =>
    e(400, "InvalidUri", `The requested URI does not represent any resource on the server. ${why}`),
  unsupportedVerb: () =>
    e(405, "UnsupportedHttpVerb", "The resource doesn't support the specified HTTP verb."),
  notServed: (what: string) =>
    e(400, "UnsupportedQueryParameter", `adl-emulator does not serve ${what} on the Gen2 data plane.`),
  bodyTooLarge: (limit: string) =>
    e(
      413,
      "RequestBodyTooLarge",
      `The request body is too large and exceeds the maximum permissible limit (${limit}).`,
    ),
  internal: () =>
    e(500, "InternalError", "The server encountered an internal error. Please retry the request."),
};

/** Sends `err` in the shape of `api`; the request id and time end the message as the service's do. */
export function sendStorageError(
  res: ServerResponse,
  api: StorageApi,
  method: string,
  requestId: string,
  err: StorageError,
): void {
  const side =
    api === "blob" && err.options.blob ? err.options.blob : { code: err.code, message: err.message };
  const message = `${side.message}\nRequestId:${requestId}\nTime:${new Date().toISOString().replace("Z", "0000Z")}`;
  const headers: Record<string, string | number> = { "x-ms-error-code": side.code, ...err.options.headers };
  if (method === "HEAD") {
    res.writeHead(err.status, { ...headers, "Content-Length": 0 });
    res.end();
    return;
  }
  let body: string;
  if (api === "dfs") {
    body = JSON.stringify({ error: { code: side.code, message } });
    headers["Content-Type"] = "application/json;charset=utf-8";
  } else {
    const details = Object.entries(err.options.details ?? {})
      .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
      .join("");
    body = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${side.code}</Code><Message>${escapeXml(message)}</Message>${details}</Error>`;
    headers["Content-Type"] = "application/xml";
  }
  headers["Content-Length"] = Buffer.byteLength(body);
  res.writeHead(err.status, headers);
  res.end(body);
}

/** Text for XML element content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(
    /[<>&'"]/g,
    (c) => `&${{ "<": "lt", ">": "gt", "&": "amp", "'": "apos", '"': "quot" }[c]};`,
  );
}
