import {
  AdlkitError,
  errorIdentity,
  isTransient,
  retryAfterInMs,
  sanitizeUrl,
  ThrottledError,
} from "@adlkit/core";

/** The body of every WebHDFS error response. */
export interface RemoteException {
  exception: string;
  message?: string | undefined;
  javaClassName?: string | undefined;
}

export interface FsErrorInit {
  /** The HTTP status of the service's error answer; omitted when adlkit found the problem itself. */
  status?: number | undefined;
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
 * A filesystem operation failed. It keeps the operation and path, the server's `exception`, `javaClassName` and
 * message, and the request's method, sanitised URL and request id. `status` is the HTTP status of the service's
 * error answer, and undefined when there was none: a check of adlkit's own (the target of an upload already
 * exists) or a `false` the service answered with 200 (nothing to delete). Subclasses exist only where callers
 * branch: not found, exists, access denied, bad offset. Throttling is core's `ThrottledError`, shared by every
 * client.
 */
export class FsError extends AdlkitError {
  static override isInstance: (value: unknown) => value is FsError = errorIdentity(
    this,
    "adlkit.error.fs-client.FsError",
  );

  readonly status: number | undefined;
  readonly method: string;
  readonly url: string;
  readonly requestId: string | undefined;
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
      code: init.code ?? "FS_ERROR",
      hint: init.hint,
      cause: init.cause,
    });
    this.name = "FsError";
    this.status = init.status;
    this.method = init.method.toUpperCase();
    this.url = sanitizeUrl(init.url);
    this.requestId = init.requestId;
    this.operation = init.operation;
    this.path = init.path;
    this.exception = init.remote?.exception;
    this.javaClassName = init.remote?.javaClassName;
    this.serverMessage = init.remote?.message;
  }

  /** Whether another attempt could succeed (a transient status; see core's `isTransient`). */
  get isRetryable(): boolean {
    return this.status !== undefined && isTransient(this);
  }
}

/** The path (or one of its parents) does not exist: HTTP 404 `FileNotFoundException`. */
export class PathNotFoundError extends FsError {
  static override isInstance: (value: unknown) => value is PathNotFoundError = errorIdentity(
    this,
    "adlkit.error.fs-client.PathNotFoundError",
  );

  constructor(init: FsErrorInit) {
    // Also for a `false` answer (RENAME, DELETE: no error status, no exception to name the reason).
    super({ code: "PATH_NOT_FOUND", reason: "path does not exist", ...init });
    this.name = "PathNotFoundError";
  }
}

/** Something already exists where the operation wanted to create: HTTP 403 `FileAlreadyExistsException`. */
export class PathExistsError extends FsError {
  static override isInstance: (value: unknown) => value is PathExistsError = errorIdentity(
    this,
    "adlkit.error.fs-client.PathExistsError",
  );

  constructor(init: FsErrorInit) {
    super({ code: "PATH_EXISTS", hint: "Pass overwrite: true to replace it.", ...init });
    this.name = "PathExistsError";
  }
}

/** The caller may not do this: HTTP 401/403 `AccessControlException` or `SecurityException`. */
export class AccessDeniedError extends FsError {
  static override isInstance: (value: unknown) => value is AccessDeniedError = errorIdentity(
    this,
    "adlkit.error.fs-client.AccessDeniedError",
  );

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
  static override isInstance: (value: unknown) => value is BadOffsetError = errorIdentity(
    this,
    "adlkit.error.fs-client.BadOffsetError",
  );

  constructor(init: FsErrorInit) {
    super({
      code: "BAD_OFFSET",
      hint: "Another writer changed the file, or the data was already appended.",
      ...init,
    });
    this.name = "BadOffsetError";
  }
}

/** A transfer finished but what arrived does not match what was sent (length or checksum). */
export class IntegrityError extends AdlkitError {
  static override isInstance: (value: unknown) => value is IntegrityError = errorIdentity(
    this,
    "adlkit.error.fs-client.IntegrityError",
  );

  readonly path: string;
  readonly expected: string;
  readonly actual: string;

  constructor(
    message: string,
    init: { path: string; expected: string; actual: string },
    kind: { code: string; hint: string } = {
      code: "INTEGRITY_CHECK_FAILED",
      hint: "Nothing was published; run the transfer again.",
    },
  ) {
    super(message, kind);
    this.name = "IntegrityError";
    this.path = init.path;
    this.expected = init.expected;
    this.actual = init.actual;
  }
}

/**
 * A copy read a file that changed at its source while it was being copied (its length, modification time or
 * ETag differ from when the copy started): nothing was published for it, so versions are never mixed.
 */
export class SourceChangedError extends IntegrityError {
  static override isInstance: (value: unknown) => value is SourceChangedError = errorIdentity(
    this,
    "adlkit.error.fs-client.SourceChangedError",
  );

  constructor(message: string, init: { path: string; expected: string; actual: string }) {
    super(message, init, {
      code: "SOURCE_CHANGED",
      hint: "Nothing was published for it; copy it again once it has stopped changing (a rerun with resume copies only what is not done).",
    });
    this.name = "SourceChangedError";
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

function reasonFor(exception: string | undefined, status: number | undefined): string {
  if (exception && REASONS[exception]) return REASONS[exception];
  if (status === 404) return "path does not exist";
  if (status === 429) return "throttled by the service";
  if (status === 401 || status === 403) return "access denied";
  return exception ?? (status === undefined ? "the operation failed" : `HTTP ${status}`);
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

/**
 * The typed error for a failed response: by exception name first, then by status. Throttling (429 or
 * `ThrottledException`) is core's ThrottledError, with the service's Retry-After when `headers` carry one.
 */
export function fromRemoteException(
  init: FsErrorInit,
  headers?: Headers | undefined,
): FsError | ThrottledError {
  const exception = init.remote?.exception ?? "";
  if (exception.includes("ThrottledException") || init.status === 429) {
    return new ThrottledError(`${init.operation} ${init.path} failed: throttled by the service`, {
      method: init.method,
      url: init.url,
      requestId: init.requestId,
      serviceCode: init.remote?.exception,
      retryAfterInMs: headers ? retryAfterInMs(headers) : undefined,
      operation: init.operation,
    });
  }
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
  if (exception === "PathIsNotEmptyDirectoryException")
    return new FsError({ code: "DIRECTORY_NOT_EMPTY", ...init });
  return new FsError(init);
}
