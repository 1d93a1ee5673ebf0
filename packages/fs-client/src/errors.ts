import { AdlkitError, HttpError } from "@adlkit/core";

/** The body of every WebHDFS error response. */
export interface RemoteException {
  exception: string;
  message?: string | undefined;
  javaClassName?: string | undefined;
}

export interface FsErrorInit {
  status: number;
  method: string;
  url: string;
  requestId?: string | undefined;
  /** The WebHDFS operation, e.g. `OPEN`. */
  operation: string;
  /** The filesystem path the operation was about. */
  path: string;
  /** The server's RemoteException, when it sent one. */
  remote?: RemoteException | undefined;
  /** What went wrong in a few words, e.g. `path does not exist`; derived from the exception when absent. */
  reason?: string | undefined;
  code?: string | undefined;
  hint?: string | undefined;
  cause?: unknown;
}

/**
 * A filesystem operation failed. It keeps the server's `exception`, `javaClassName` and message, the
 * operation and path, and (from HttpError) status, method, sanitised URL and request id. Subclasses exist
 * only where callers branch: not found, exists, access denied, bad offset, throttled.
 */
export class FsError extends HttpError {
  readonly operation: string;
  readonly path: string;
  readonly exception: string | undefined;
  readonly javaClassName: string | undefined;
  /** The server's own message, with its `[request id][time]` suffix. */
  readonly serverMessage: string | undefined;

  constructor(init: FsErrorInit) {
    const reason = init.reason ?? reasonFor(init.remote?.exception, init.status);
    const detail = init.remote
      ? ` (${init.remote.exception}${init.remote.message ? `: ${init.remote.message}` : ""})`
      : "";
    super(`${init.operation} ${init.path} failed: ${reason}${detail}`, {
      status: init.status,
      method: init.method,
      url: init.url,
      requestId: init.requestId,
      serviceCode: init.remote?.exception,
      code: init.code ?? "FS_ERROR",
      hint: init.hint,
      cause: init.cause,
    });
    this.name = "FsError";
    this.operation = init.operation;
    this.path = init.path;
    this.exception = init.remote?.exception;
    this.javaClassName = init.remote?.javaClassName;
    this.serverMessage = init.remote?.message;
  }
}

/** The path (or one of its parents) does not exist: HTTP 404 `FileNotFoundException`. */
export class PathNotFoundError extends FsError {
  constructor(init: FsErrorInit) {
    // Also for a `false` answer (RENAME, DELETE: status 200), which has no exception to name the reason.
    super({ code: "PATH_NOT_FOUND", reason: "path does not exist", ...init });
    this.name = "PathNotFoundError";
  }
}

/** Something already exists where the operation wanted to create: HTTP 403 `FileAlreadyExistsException`. */
export class PathExistsError extends FsError {
  constructor(init: FsErrorInit) {
    super({ code: "PATH_EXISTS", hint: "Pass overwrite: true to replace it.", ...init });
    this.name = "PathExistsError";
  }
}

/** The caller may not do this: HTTP 401/403 `AccessControlException` or `SecurityException`. */
export class AccessDeniedError extends FsError {
  constructor(init: FsErrorInit) {
    super({
      code: "ACCESS_DENIED",
      hint: "Check the ACLs and permissions of the path and its parents (x on every parent), and that the token is for the Data Lake audience.",
      ...init,
    });
    this.name = "AccessDeniedError";
  }
}

/** An APPEND's offset did not match the file's length: HTTP 400 `BadOffsetException`. */
export class BadOffsetError extends FsError {
  constructor(init: FsErrorInit) {
    super({
      code: "BAD_OFFSET",
      hint: "Another writer changed the file, or the data was already appended.",
      ...init,
    });
    this.name = "BadOffsetError";
  }
}

/** The service throttled the request (HTTP 429) and retries did not get through. */
export class ThrottledError extends FsError {
  constructor(init: FsErrorInit) {
    super({ code: "THROTTLED", hint: "Lower the concurrency or raise retry.limit.", ...init });
    this.name = "ThrottledError";
  }
}

/** A transfer finished but what arrived does not match what was sent (length or checksum). */
export class IntegrityError extends AdlkitError {
  readonly path: string;
  readonly expected: string;
  readonly actual: string;

  constructor(message: string, init: { path: string; expected: string; actual: string }) {
    super(message, {
      code: "INTEGRITY_CHECK_FAILED",
      hint: "Nothing was published; run the transfer again.",
    });
    this.name = "IntegrityError";
    this.path = init.path;
    this.expected = init.expected;
    this.actual = init.actual;
  }
}

const REASONS: Record<string, string> = {
  FileNotFoundException: "path does not exist",
  FileAlreadyExistsException: "path already exists",
  AccessControlException: "access denied",
  SecurityException: "not authenticated",
  BadOffsetException: "the offset does not match the file's length",
  ThrottledException: "throttled by the service",
  PathIsNotEmptyDirectoryException: "directory is not empty",
  IllegalArgumentException: "invalid argument",
  UnsupportedOperationException: "operation not supported",
  RuntimeException: "internal server error",
};

function reasonFor(exception: string | undefined, status: number): string {
  if (exception && REASONS[exception]) return REASONS[exception];
  if (status === 404) return "path does not exist";
  if (status === 429) return "throttled by the service";
  if (status === 401 || status === 403) return "access denied";
  return exception ?? `HTTP ${status}`;
}

/** Reads a `{"RemoteException": {...}}` body; undefined for anything else (HTML from a proxy, empty, ...). */
export function parseRemoteException(text: string): RemoteException | undefined {
  try {
    const parsed = JSON.parse(text) as { RemoteException?: Partial<RemoteException> };
    const remote = parsed?.RemoteException;
    if (!remote || typeof remote.exception !== "string") return undefined;
    return {
      exception: remote.exception,
      message: typeof remote.message === "string" ? remote.message : undefined,
      javaClassName: typeof remote.javaClassName === "string" ? remote.javaClassName : undefined,
    };
  } catch {
    return undefined;
  }
}

/** The typed error for a failed response: by exception name first, then by status. */
export function fromRemoteException(init: FsErrorInit): FsError {
  const exception = init.remote?.exception ?? "";
  if (exception.includes("FileNotFoundException") || (!exception && init.status === 404))
    return new PathNotFoundError(init);
  if (exception.includes("FileAlreadyExistsException")) return new PathExistsError(init);
  if (exception.includes("BadOffsetException")) return new BadOffsetError(init);
  if (
    exception.includes("AccessControlException") ||
    exception.includes("SecurityException") ||
    init.status === 401 ||
    (init.status === 403 && !exception)
  )
    return new AccessDeniedError(init);
  if (exception.includes("ThrottledException") || init.status === 429) return new ThrottledError(init);
  if (exception === "PathIsNotEmptyDirectoryException")
    return new FsError({ code: "DIRECTORY_NOT_EMPTY", ...init });
  return new FsError(init);
}
