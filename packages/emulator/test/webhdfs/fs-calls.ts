import { expect } from "vitest";
import type { TestResponse } from "../helpers/test-emulator.js";
import { type FsCallOptions, type FsFixture, remoteException } from "../helpers/webhdfs-fixture.js";

/** Percent-encodes each segment of a path the way the Python SDK does (the `/` separators stay). */
export function enc(path: string): string {
  return path
    .split("/")
    .map((segment) => encodeURIComponent(segment))
    .join("/");
}

export interface FileStatusJson {
  length: number;
  pathSuffix: string;
  type: "FILE" | "DIRECTORY";
  blockSize: number;
  accessTime: number;
  modificationTime: number;
  replication: number;
  permission: string;
  owner: string;
  group: string;
  msExpirationTime?: number;
  aclBit: boolean;
}

/** Short helpers over one fixture, so each conformance test reads as request → expectation. */
export function fsCalls(fx: FsFixture) {
  const calls = {
    create: (path: string, body?: string | Buffer, query = "overwrite=true", options: FsCallOptions = {}) =>
      fx.call("PUT", enc(path), `op=CREATE&write=true&${query}`, {
        ...options,
        ...(body !== undefined ? { body } : {}),
      }),
    append: (path: string, body: string | Buffer, query = "", options: FsCallOptions = {}) =>
      fx.call("POST", enc(path), `op=APPEND&append=true${query ? `&${query}` : ""}`, { ...options, body }),
    mkdirs: (path: string, query = "", options: FsCallOptions = {}) =>
      fx.call("PUT", enc(path), `op=MKDIRS${query ? `&${query}` : ""}`, options),
    status: (path: string, options: FsCallOptions = {}) =>
      fx.call("GET", enc(path), "op=GETFILESTATUS", options),
    list: (path: string, query = "", options: FsCallOptions = {}) =>
      fx.call("GET", enc(path), `op=LISTSTATUS${query ? `&${query}` : ""}`, options),
    open: (path: string, query = "", options: FsCallOptions = {}) =>
      fx.call("GET", enc(path), `op=OPEN&read=true${query ? `&${query}` : ""}`, options),
    op: (method: string, path: string, query: string, options: FsCallOptions = {}) =>
      fx.call(method, enc(path), query, options),
    /** GETFILESTATUS that must succeed. */
    async fileStatus(path: string): Promise<FileStatusJson> {
      const res = await calls.status(path);
      expect(res.status, res.text).toBe(200);
      return res.json<{ FileStatus: FileStatusJson }>().FileStatus;
    },
    async names(path: string, query = ""): Promise<string[]> {
      const res = await calls.list(path, query);
      expect(res.status, res.text).toBe(200);
      return res
        .json<{ FileStatuses: { FileStatus: FileStatusJson[] } }>()
        .FileStatuses.FileStatus.map((s) => s.pathSuffix);
    },
    async page(path: string, query: string): Promise<{ token: string; names: string[] }> {
      const res = await calls.list(path, query);
      expect(res.status, res.text).toBe(200);
      const body = res.json<{ FileStatuses: { continuationToken: string; FileStatus: FileStatusJson[] } }>()
        .FileStatuses;
      return { token: body.continuationToken, names: body.FileStatus.map((s) => s.pathSuffix) };
    },
    async content(path: string): Promise<string> {
      const res = await calls.open(path);
      expect(res.status, res.text).toBe(200);
      return res.text;
    },
    async exists(path: string): Promise<boolean> {
      const res = await calls.status(path);
      if (res.status === 404) return false;
      expect(res.status, res.text).toBe(200);
      return true;
    },
    async acl(
      path: string,
    ): Promise<{ entries: string[]; owner: string; group: string; permission: string; stickyBit: boolean }> {
      const res = await calls.op("GET", path, "op=MSGETACLSTATUS");
      expect(res.status, res.text).toBe(200);
      return res.json().AclStatus;
    },
  };
  return calls;
}

/** Asserts a JSON RemoteException error with the given status and exception name; returns it. */
export function expectRemote(res: TestResponse, status: number, exception?: string) {
  expect(res.status, res.text).toBe(status);
  expect(res.headers["content-type"]).toBe("application/json; charset=utf-8");
  expect(Number(res.headers["content-length"])).toBe(res.body.length);
  const remote = remoteException(res);
  if (exception) expect(remote.exception).toBe(exception);
  return remote;
}

export function expectBoolean(res: TestResponse, value: boolean): void {
  expect(res.status, res.text).toBe(200);
  expect(res.json()).toEqual({ boolean: value });
}
