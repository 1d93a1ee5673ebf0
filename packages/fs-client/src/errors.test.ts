import { HttpError, ThrottledError } from "@adlkit/core";
import { describe, expect, it } from "vitest";
import {
  AccessDeniedError,
  BadOffsetError,
  FsError,
  fromRemoteException,
  PathExistsError,
  PathNotFoundError,
  parseRemoteException,
} from "./errors.js";

const base = {
  method: "GET",
  url: "https://acct.example/webhdfs/v1/data/x?op=OPEN",
  requestId: "r-1",
  path: "/data/x",
};

function fromBody(status: number, body: string, operation = "OPEN"): FsError | ThrottledError {
  return fromRemoteException({ ...base, status, operation, remote: parseRemoteException(body) });
}

describe("fromRemoteException", () => {
  it("maps FileNotFoundException to PathNotFoundError with the server's message and request id", () => {
    const err = <FsError>(
      fromBody(
        404,
        '{"RemoteException":{"exception":"FileNotFoundException","message":"File/Folder does not exist: /data/x [abc][2018-10-16T15:42:28]","javaClassName":"java.io.FileNotFoundException"}}',
      )
    );
    expect(err).toBeInstanceOf(PathNotFoundError);
    // A filesystem failure, not an HTTP one: its status may be absent (see FsError).
    expect(HttpError.isInstance(err)).toBe(false);
    expect(err.message).toMatch(
      /^OPEN \/data\/x failed: path does not exist \(FileNotFoundException: File\/Folder does not exist/,
    );
    expect(err.serverMessage).toContain("[abc]");
    expect(err.requestId).toBe("r-1");
    expect(err.status).toBe(404);
    expect(err.code).toBe("PATH_NOT_FOUND");
    expect(err.javaClassName).toBe("java.io.FileNotFoundException");
    expect(err.operation).toBe("OPEN");
    expect(err.path).toBe("/data/x");
  });

  it("maps the other exceptions callers branch on", () => {
    expect(
      fromBody(403, '{"RemoteException":{"exception":"FileAlreadyExistsException","message":"m"}}', "CREATE"),
    ).toBeInstanceOf(PathExistsError);
    expect(
      fromBody(400, '{"RemoteException":{"exception":"BadOffsetException","message":"m"}}', "APPEND"),
    ).toBeInstanceOf(BadOffsetError);
    expect(
      fromBody(403, '{"RemoteException":{"exception":"AccessControlException","message":"m"}}'),
    ).toBeInstanceOf(AccessDeniedError);
    expect(
      fromBody(429, '{"RemoteException":{"exception":"ThrottledException","message":"m"}}'),
    ).toBeInstanceOf(ThrottledError);
    const notEmpty = fromBody(
      403,
      '{"RemoteException":{"exception":"PathIsNotEmptyDirectoryException","message":"m"}}',
      "DELETE",
    );
    expect(notEmpty.code).toBe("DIRECTORY_NOT_EMPTY");
    expect(notEmpty.message).toContain("directory is not empty");
  });

  it("says a path does not exist when the service answered `false` (no error status, no exception)", () => {
    const err = new PathNotFoundError({
      ...base,
      method: "PUT",
      operation: "RENAME",
      path: "/nope",
    });
    expect(err.message).toBe("RENAME /nope failed: path does not exist");
    expect(err.status).toBeUndefined();
  });

  it("falls back on the status when the body is not a RemoteException", () => {
    expect(fromBody(404, "<html>not found</html>")).toBeInstanceOf(PathNotFoundError);
    expect(fromBody(429, "")).toBeInstanceOf(ThrottledError);
    expect(fromBody(401, "")).toBeInstanceOf(AccessDeniedError);
    const other = fromBody(500, "oops");
    expect(other.constructor).toBe(FsError);
    expect(other.message).toBe("OPEN /data/x failed: HTTP 500");
  });

  it("never keeps the query string's secrets in the URL", () => {
    const err = fromRemoteException({
      ...base,
      url: "https://a.example/webhdfs/v1/x?op=OPEN&sig=SECRET123",
      status: 404,
      operation: "OPEN",
    });
    expect(err.url).not.toContain("SECRET123");
  });
});

describe("parseRemoteException", () => {
  it("returns undefined for bodies that are not a RemoteException", () => {
    expect(parseRemoteException("")).toBeUndefined();
    expect(parseRemoteException('{"boolean":false}')).toBeUndefined();
    expect(parseRemoteException("[1]")).toBeUndefined();
  });
});
