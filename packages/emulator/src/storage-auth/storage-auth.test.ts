import { describe, expect, it } from "vitest";
import { compareHeaderNames } from "./header-order.js";
import { requirementOf, type StorageOperation } from "./operations.js";
import { ipv4Of, parseQuery, parseRequest, type StorageRequest } from "./request.js";
import { checkProtocol, checkSasTimes, checkSipFormat, parseSasTime, sasKindOf } from "./sas-fields.js";
import { accountSasStringToSign, serviceSasStringToSign, userDelegationSasStringToSign } from "./sas-sign.js";

/** The pure pieces: URL parsing, field formats, header orders, layouts by version, the operation table. */

function request(rawUrl: string, pathStyle = true): StorageRequest {
  return {
    method: "GET",
    rawUrl,
    headers: {},
    clientIp: "127.0.0.1",
    secure: true,
    endpoint: "dfs",
    pathStyle,
  };
}

describe("request parsing", () => {
  it("keeps the raw path for Shared Key and decodes filesystem and path (%2F included) for SAS", () => {
    const p = parseRequest(request("/acct/fs1/dir%2Fsub%2Ff%20x.txt?action=append&position=0"));
    expect(p.rawPath).toBe("/acct/fs1/dir%2Fsub%2Ff%20x.txt");
    expect(p.target).toEqual({ filesystem: "fs1", path: "dir/sub/f x.txt" });
    expect(p.segments).toEqual(["dir", "sub", "f x.txt"]);
    expect(parseRequest(request("/fs1/a/b", false)).target).toEqual({ filesystem: "fs1", path: "a/b" });
  });

  it("treats /fs// as the root, resolves dot segments for the target (an extra .. stays at the root)", () => {
    expect(parseRequest(request("/acct/fs1//?action=getAccessControl")).target).toEqual({
      filesystem: "fs1",
      path: "",
    });
    expect(parseRequest(request("/acct/fs1/dir/.%2Fx%2F..%2Fsub")).target.path).toBe("dir/sub");
    expect(parseRequest(request("/acct/fs1/../../etc")).target.path).toBe("etc");
    expect(parseRequest(request("/acct/?comp=list")).target).toEqual({ path: "" });
    expect(parseRequest(request("")).rawPath).toBe("/");
  });

  it("reads bare flags, empty values and malformed escapes without throwing", () => {
    expect(parseQuery("a&b=&c=%ZZ&d=%2B+")).toEqual([
      { rawName: "a", rawValue: undefined, name: "a", value: "" },
      { rawName: "b", rawValue: "", name: "b", value: "" },
      { rawName: "c", rawValue: "%ZZ", name: "c", value: "%ZZ" },
      { rawName: "d", rawValue: "%2B+", name: "d", value: "++" },
    ]);
  });

  it("reads IPv4-mapped peers as IPv4 and leaves IPv6 out", () => {
    expect(ipv4Of("::ffff:10.1.2.3")).toBe("10.1.2.3");
    expect(ipv4Of("10.1.2.3")).toBe("10.1.2.3");
    expect(ipv4Of("::1")).toBeUndefined();
  });
});

describe("header orders", () => {
  const names = [
    "x-ms-meta-a1",
    "x-ms-meta-a-c",
    "x-ms-meta-a_b",
    "x-ms-meta-ab",
    "x-ms-date",
    "x-ms-version",
  ];
  it("culture (service, JS): hyphens ignored first, punctuation before digits before letters", () => {
    expect([...names].sort((a, b) => compareHeaderNames("culture", a, b))).toEqual([
      "x-ms-date",
      "x-ms-meta-a_b",
      "x-ms-meta-a1",
      "x-ms-meta-ab",
      "x-ms-meta-a-c",
      "x-ms-version",
    ]);
  });
  it("python (hyphen first) and ordinal differ from it only for such names", () => {
    expect([...names].sort((a, b) => compareHeaderNames("python", a, b)).slice(1, 5)).toEqual([
      "x-ms-meta-a-c",
      "x-ms-meta-a_b",
      "x-ms-meta-a1",
      "x-ms-meta-ab",
    ]);
    expect([...names].sort((a, b) => compareHeaderNames("ordinal", a, b)).slice(1, 5)).toEqual([
      "x-ms-meta-a-c",
      "x-ms-meta-a1",
      "x-ms-meta-a_b",
      "x-ms-meta-ab",
    ]);
  });
});

describe("SAS fields", () => {
  it("parses the ISO 8601 forms SAS use and rejects the rest", () => {
    expect(parseSasTime("2030-01-02")).toBe(Date.UTC(2030, 0, 2));
    expect(parseSasTime("2030-01-02T03:04Z")).toBe(Date.UTC(2030, 0, 2, 3, 4));
    expect(parseSasTime("2030-01-02T03:04:05Z")).toBe(Date.UTC(2030, 0, 2, 3, 4, 5));
    expect(parseSasTime("2030-01-02T03:04:05.1234567Z")).toBe(Date.UTC(2030, 0, 2, 3, 4, 5, 123));
    for (const bad of [
      "2030-02-30",
      "2030-01-02T25:00Z",
      "2030-01-02T03:04:05",
      "tomorrow",
      "2030-01-02T03:04:05+01:00",
    ])
      expect(parseSasTime(bad), bad).toBeUndefined();
  });

  it("refuses se before st, and a missing se, as malformed", () => {
    const now = new Date("2030-01-01T12:00:00Z");
    expect(checkSasTimes({ st: "2030-01-02", se: "2030-01-01" }, now, true)).toMatchObject({
      code: "AuthenticationFailed",
    });
    expect(checkSasTimes({}, now, true)).toMatchObject({
      detail: expect.stringContaining("se is mandatory"),
    });
    expect(checkSasTimes({ st: "2030-01-01T11:00Z", se: "2030-01-01T13:00Z" }, now, true)).toBeUndefined();
  });

  it("validates sip and spr", () => {
    expect(checkSipFormat({ sip: "10.0.0.1-10.0.0.9" })).toBeUndefined();
    for (const sip of ["10.0.0.9-10.0.0.1", "10.0.0.256", "::1", "1.2.3.4-5.6.7.8-9.9.9.9"])
      expect(checkSipFormat({ sip }), sip).toMatchObject({ code: "AuthenticationFailed" });
    expect(checkProtocol({ spr: "https,http" }, false)).toBeUndefined();
    expect(checkProtocol({ spr: "https" }, false)).toMatchObject({ code: "AuthorizationProtocolMismatch" });
    expect(checkProtocol({ spr: "http" }, false)).toMatchObject({ code: "AuthenticationFailed" });
  });

  it("tells the kinds apart", () => {
    expect(sasKindOf({ sv: "2021-10-04", ss: "b", srt: "o" })).toBe("account");
    expect(sasKindOf({ sv: "2021-10-04", sr: "c" })).toBe("service");
    expect(sasKindOf({ sv: "2021-10-04", sr: "b", skoid: "x" })).toBe("userDelegation");
    expect(sasKindOf({ sv: "2021-10-04", sr: "c", ss: "b" })).toMatchObject({ code: "AuthenticationFailed" });
    expect(sasKindOf({ sv: "2021-10-04", ss: "b" })).toMatchObject({ code: "AuthenticationFailed" });
    expect(sasKindOf({ sr: "c" })).toMatchObject({ code: "AuthenticationFailed" });
  });
});

describe("string-to-sign layouts by sv", () => {
  const v = {
    sp: "r",
    se: "2030-01-01",
    sr: "b",
    sip: "1.2.3.4",
    spr: "https",
    ses: "scope",
    rsct: "text/plain",
  };
  it("account SAS: ses line from 2020-12-06, always a trailing newline", () => {
    expect(accountSasStringToSign("acct", { ...v, ss: "b", srt: "o", sv: "2020-12-06" })).toBe(
      "acct\nr\nb\no\n\n2030-01-01\n1.2.3.4\nhttps\n2020-12-06\nscope\n",
    );
    expect(accountSasStringToSign("acct", { ...v, ss: "b", srt: "o", sv: "2020-10-02" })).toBe(
      "acct\nr\nb\no\n\n2030-01-01\n1.2.3.4\nhttps\n2020-10-02\n",
    );
  });
  it("service SAS: sr and snapshot from 2018-11-09, ses from 2020-12-06", () => {
    const lines = (sv: string) => serviceSasStringToSign("/blob/a/fs/p", { ...v, sv }).split("\n").length;
    expect(lines("2015-04-05")).toBe(13);
    expect(lines("2018-11-09")).toBe(15);
    expect(lines("2020-12-06")).toBe(16);
  });
  it("user delegation SAS: agent oids 2020-02-10, ses 2020-12-06, delegated user 2025-07-05, dynamic 2026-04-06", () => {
    const p = parseRequest(request("/a/fs/p"));
    const lines = (sv: string) =>
      userDelegationSasStringToSign("/blob/a/fs/p", { ...v, sv }, p).split("\n").length;
    expect([
      lines("2018-11-09"),
      lines("2020-02-10"),
      lines("2020-12-06"),
      lines("2025-07-05"),
      lines("2026-04-06"),
    ]).toEqual([20, 23, 24, 26, 28]);
  });
});

describe("operation table", () => {
  it("needs m for both sides of a rename, e for ACL reads, p/o for ACL and owner changes (service SAS)", () => {
    const service = (op: StorageOperation) => requirementOf(op).service;
    expect([service("path:renameSource"), service("path:renameDestination")]).toEqual(["m", "m"]);
    expect(service("path:getAccessControl")).toBe("e");
    expect([service("path:setAccessControl"), service("path:setOwner")]).toEqual(["p", "o"]);
    expect([service("container:create"), service("service:listContainers")]).toEqual([null, null]);
    expect(requirementOf("container:create")).toMatchObject({ level: "container", account: "cw" });
  });
});
