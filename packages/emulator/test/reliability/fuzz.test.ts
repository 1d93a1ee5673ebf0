import { existsSync, statSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { edgeInteger } from "../helpers/edge-numbers.js";
import { startTestEmulator, type TestEmulator } from "../helpers/test-emulator.js";

/**
 * Issue 7: property-based fuzzing of the filesystem and Resource Manager endpoints with random and malformed
 * requests: random methods, paths of random bytes in random encodings, random `op`s and parameter values,
 * random bodies (bytes, JSON, broken JSON) and headers, with a valid token, a wrong one or none. The emulator
 * must never answer 5xx, must answer every error in its area's shape (WebHDFS RemoteException JSON, ARM
 * {"error":{code,message}}), must keep serving, and its state must stay consistent: a LISTSTATUS walk agrees
 * with GETFILESTATUS, OPEN and GETCONTENTSUMMARY, and with the metadata and blobs on disk. Numeric parameters
 * get values around 2^31, 2^53 and 2^63 as well (issue 16; fuzz-numbers.test.ts aims at them alone).
 */
const ACCOUNT = "fuzz";
const RUNS = Number(process.env.ADLKIT_FUZZ_RUNS ?? 4000);
const SEED = process.env.ADLKIT_FUZZ_SEED ? Number(process.env.ADLKIT_FUZZ_SEED) : undefined;

let emu: TestEmulator;
let agent: https.Agent;
let fsToken: string;
let armToken: string;
let sub: string;

interface Req {
  kind: "fs" | "arm";
  method: string;
  target: string;
  headers: Record<string, string>;
  /** Which Authorization to send (resolved at send time, so a failure report never prints a token). */
  auth: string;
  body: Buffer | undefined;
}
interface Res {
  status: number;
  headers: Record<string, unknown>;
  body: Buffer;
}

function send(req: Req): Promise<Res> {
  return new Promise((resolve, reject) => {
    const r = https.request(
      {
        method: req.method,
        host: "127.0.0.1",
        servername: "localhost",
        port: emu.emulator.port,
        path: req.target,
        agent,
        headers: {
          host: `localhost:${emu.emulator.port}`,
          ...req.headers,
          ...authorization(req),
          "content-length": String(req.body?.length ?? 0),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on("close", () => {
          if (!res.complete) reject(new Error("the response was cut"));
        });
      },
    );
    r.on("error", reject);
    r.setTimeout(20_000, () => r.destroy(new Error("no answer in 20 s")));
    r.end(req.body);
  });
}

// ---- arbitraries -------------------------------------------------------------------------------------------

const pct = (b: number) => `%${b.toString(16).padStart(2, "0").toUpperCase()}`;
/** Bytes written as a path segment: printable ASCII raw (as far as Node lets it through), the rest %XX. */
const rawBytes = fc
  .uint8Array({ maxLength: 24 })
  .map((bytes) =>
    [...bytes]
      .map((b) => (b > 0x20 && b < 0x7f && b !== 0x3f && b !== 0x23 ? String.fromCharCode(b) : pct(b)))
      .join(""),
  );
const segment = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[a-z0-9._-]{1,12}$/) },
  { weight: 2, arbitrary: rawBytes },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 8 }).map((s) => encodeURIComponent(s)) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "..",
      ".",
      "",
      "%2e%2e",
      "%2E",
      "%00",
      "%",
      "%zz",
      "%2",
      "%C0%AE",
      "%ff%fe",
      "%2f",
      "%5c",
      "\\",
      "a%00b",
      "x".repeat(300),
      "CON",
      "~",
      "%25",
      "%20",
      "+",
      "&",
      ";",
      "'\"",
    ),
  },
);
const fsPath = fc.array(segment, { maxLength: 6 }).map((segs) => `/${segs.join("/")}`);

const OPS = [
  "GETFILESTATUS",
  "MSGETFILESTATUS",
  "LISTSTATUS",
  "MSLISTSTATUS",
  "MKDIRS",
  "CREATE",
  "APPEND",
  "CONCURRENTAPPEND",
  "OPEN",
  "RENAME",
  "DELETE",
  "MSCONCAT",
  "CONCAT",
  "SETEXPIRY",
  "CHECKACCESS",
  "GETCONTENTSUMMARY",
  "GETACLSTATUS",
  "MSGETACLSTATUS",
  "SETACL",
  "MODIFYACLENTRIES",
  "REMOVEACLENTRIES",
  "REMOVEACL",
  "REMOVEDEFAULTACL",
  "SETPERMISSION",
  "SETOWNER",
  "SETTIMES",
  "GETHOMEDIRECTORY",
  "TRUNCATE",
];
const op = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...OPS) },
  { weight: 1, arbitrary: fc.constantFrom(...OPS).map((o) => o.toLowerCase()) },
  { weight: 1, arbitrary: rawBytes },
);
const PARAMS = [
  "overwrite",
  "permission",
  "offset",
  "length",
  "recursive",
  "destination",
  "sources",
  "aclSpec",
  "expiryOption",
  "expireTime",
  "owner",
  "group",
  "listSize",
  "listAfter",
  "listBefore",
  "fsaction",
  "syncFlag",
  "leaseid",
  "filesessionid",
  "appendMode",
  "modificationtime",
  "accesstime",
  "read",
  "write",
  "append",
  "api-version",
  "CreateParent",
  "deleteSourceDirectory",
  "tooid",
  "renameoptions",
  "buffersize",
  "blocksize",
  "replication",
  "op",
];
/** Numbers at the integer edges (see edge-numbers.ts), escaped for a query string. */
const edgeValue = edgeInteger.map((value) => encodeURIComponent(value));
const paramValue = fc.oneof(
  fc.constantFrom(
    "true",
    "false",
    "",
    "0",
    "-1",
    "1",
    "777",
    "1777",
    "0644",
    "9999",
    "rwx",
    "r-x",
    "NaN",
    "1e309",
  ),
  fc.integer().map(String),
  edgeValue,
  fc.constantFrom(
    "NeverExpire",
    "RelativeToNow",
    "RelativeToCreationDate",
    "Absolute",
    "CLOSE",
    "DATA",
    "METADATA",
  ),
  fc.constantFrom(
    "user::rwx,group::r-x,other::---",
    "user:x:rwx",
    "default:user::rwx",
    "mask::r",
    ":::",
    "user",
  ),
  fsPath.map((p) => encodeURIComponent(p)),
  rawBytes,
);
const query = fc
  .tuple(
    op,
    fc.array(fc.tuple(fc.oneof(fc.constantFrom(...PARAMS), rawBytes), paramValue), { maxLength: 5 }),
    fc.boolean(),
  )
  .map(([o, pairs, withOp]) => {
    const parts = [...(withOp ? [`op=${o}`] : []), ...pairs.map(([k, v]) => `${k}=${v}`)];
    return parts.length ? `?${parts.join("&")}` : "";
  });

const body = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.from(b)) },
  { weight: 2, arbitrary: fc.json().map((j) => Buffer.from(j)) },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom(
        "{",
        "{}}",
        '{"sources":',
        '{"sources":["/a",1,null]}',
        '{"sources":"x"}',
        "sources=/a,,/b",
        "[]",
        "null",
        '{"location":7}',
        '{"location":"eastus","properties":{"firewallState":"Maybe"}}',
        '{"location":"eastus","tags":{"a":{"b":1}}}',
        '{"properties":{"startIpAddress":"999.1.1.1","endIpAddress":"::g"}}',
        "\u0000\u0000",
        '"\\ud800"',
      )
      .map((s) => Buffer.from(s)),
  },
);

const auth = fc.oneof(
  { weight: 6, arbitrary: fc.constant("valid") },
  { weight: 1, arbitrary: fc.constant("none") },
  { weight: 1, arbitrary: fc.constant("other-audience") },
  { weight: 1, arbitrary: rawBytes.map((s) => `junk:${s}`) },
);
function authorization(req: Req): Record<string, string> {
  const mine = req.kind === "fs" ? fsToken : armToken;
  const theirs = req.kind === "fs" ? armToken : fsToken;
  if (req.auth === "none") return {};
  if (req.auth === "valid") return { authorization: `Bearer ${mine}` };
  if (req.auth === "other-audience") return { authorization: `Bearer ${theirs}` };
  return { authorization: `Bearer ${req.auth.slice(5).replace(/[^\x21-\x7e]/g, "")}` };
}
const headerValue = fc.stringMatching(/^[\x20-\x7e]{0,40}$/).map((s) => s.trim());
const extraHeaders = fc.record(
  {
    "content-type": fc.constantFrom(
      "application/json",
      "application/octet-stream",
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/json; charset=utf-16",
    ),
    "x-ms-client-request-id": headerValue,
    "x-ms-correlation-request-id": headerValue,
    accept: fc.constantFrom("application/json", "*/*", "text/html"),
    "accept-encoding": fc.constantFrom("gzip", "identity", "br"),
    range: fc.constantFrom("bytes=0-1", "bytes=-5", "bytes=x"),
    "if-match": headerValue,
  },
  { requiredKeys: [] },
);
// Any method Node's HTTP parser knows (it answers a bare 400 itself to tokens it does not know, before any
// emulator code runs).
const method = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom("GET", "PUT", "POST", "DELETE") },
  { weight: 2, arbitrary: fc.constantFrom("PATCH", "HEAD", "OPTIONS", "TRACE") },
  { weight: 1, arbitrary: fc.constantFrom(...http.METHODS.filter((m) => m !== "CONNECT")) },
);
const account = fc.oneof(
  { weight: 8, arbitrary: fc.constant(ACCOUNT) },
  { weight: 1, arbitrary: fc.constantFrom("nosuch", "FUZZ", "%66uzz", "fuzz%00", "..", "a") },
  // One path segment: a raw "/" would move the request out of the filesystem's URL space.
  { weight: 1, arbitrary: rawBytes.filter((s) => s.length > 0).map((s) => s.replaceAll("/", "%2F")) },
);
const fsRequest = fc.record({ method, account, path: fsPath, query, body, headers: extraHeaders, auth }).map(
  (r): Req => ({
    kind: "fs",
    method: r.method,
    target: `/${r.account}/webhdfs/v1${r.path}${r.query}`,
    headers: r.headers,
    auth: r.auth,
    body: r.body,
  }),
);

/** Plausible filesystem calls: the right method for the op, names from a small pool, so state really changes. */
const METHOD_OF: Record<string, string> = {
  GETFILESTATUS: "GET",
  MSGETFILESTATUS: "GET",
  LISTSTATUS: "GET",
  MSLISTSTATUS: "GET",
  OPEN: "GET",
  GETCONTENTSUMMARY: "GET",
  GETACLSTATUS: "GET",
  MSGETACLSTATUS: "GET",
  CHECKACCESS: "GET",
  MKDIRS: "PUT",
  CREATE: "PUT",
  RENAME: "PUT",
  SETEXPIRY: "PUT",
  SETACL: "PUT",
  MODIFYACLENTRIES: "PUT",
  REMOVEACLENTRIES: "PUT",
  REMOVEACL: "PUT",
  REMOVEDEFAULTACL: "PUT",
  SETPERMISSION: "PUT",
  SETOWNER: "PUT",
  SETTIMES: "PUT",
  APPEND: "POST",
  CONCURRENTAPPEND: "POST",
  MSCONCAT: "POST",
  CONCAT: "POST",
  DELETE: "DELETE",
};
const poolPath = fc
  .array(fc.constantFrom("a", "b", "c", "d.txt", "e.bin", "x%20y", "%C3%BC", "n%2Bm"), {
    minLength: 1,
    maxLength: 3,
  })
  .map((segs) => `/${segs.join("/")}`);
const plausibleValue = (name: string) => {
  switch (name) {
    case "overwrite":
    case "recursive":
    case "CreateParent":
    case "deleteSourceDirectory":
      return fc.constantFrom("true", "false", "TRUE", "yes");
    case "permission":
      return fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom("755", "700", "1777", "644") },
        { weight: 1, arbitrary: fc.constantFrom("888", "-1", "12345") },
        { weight: 1, arbitrary: edgeValue },
      );
    case "offset":
    case "length":
    case "listSize":
    case "buffersize":
    case "blocksize":
    case "replication":
      return fc.oneof(
        {
          weight: 4,
          arbitrary: fc.oneof(fc.constantFrom("0", "1", "5", "-1", "99999999999"), fc.nat(4096).map(String)),
        },
        { weight: 1, arbitrary: edgeValue },
      );
    case "destination":
    case "sources":
    case "listAfter":
      return fc.oneof(
        poolPath,
        fc.tuple(poolPath, poolPath).map(([x, y]) => `${x},${y}`),
      );
    case "aclSpec":
      return fc.constantFrom(
        "user::rwx,group::r-x,other::---",
        "user:00000000-0000-0000-0000-000000000001:r-x",
        "mask::rwx",
        "default:user::rwx,default:group::r-x,default:other::---",
        "other::rwx",
        "bogus",
      );
    case "expiryOption":
      return fc.constantFrom(
        "NeverExpire",
        "RelativeToNow",
        "RelativeToCreationDate",
        "Absolute",
        "Sometime",
      );
    case "expireTime":
    case "modificationtime":
    case "accesstime":
      return fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom("0", "-1", "86400000", String(Date.now() + 3_600_000)) },
        { weight: 2, arbitrary: fc.integer().map(String) },
        { weight: 1, arbitrary: edgeValue },
      );
    case "owner":
    case "group":
      return fc.constantFrom("00000000-0000-0000-0000-000000000001", "", "root", "%00");
    case "fsaction":
      return fc.constantFrom("r--", "rwx", "-w-", "---", "rw", "xyz");
    case "syncFlag":
      return fc.constantFrom("DATA", "METADATA", "CLOSE", "PIPELINE");
    case "appendMode":
      return fc.constantFrom("autocreate", "none");
    default:
      return paramValue;
  }
};
const plausibleFsRequest = fc
  .tuple(
    fc.constantFrom(...Object.keys(METHOD_OF)),
    poolPath,
    fc.subarray(
      PARAMS.filter((x) => x !== "op"),
      { maxLength: 4 },
    ),
    fc.uint8Array({ maxLength: 600 }),
    auth,
  )
  .chain(([o, p, names, bytes, a]) =>
    fc.tuple(...names.map((n) => plausibleValue(n).map((v) => `${n}=${v}`))).map(
      (pairs): Req => ({
        kind: "fs",
        method: METHOD_OF[o]!,
        target: `/${ACCOUNT}/webhdfs/v1${p}?${[`op=${o}`, ...pairs].join("&")}`,
        headers: {},
        auth: a === "valid" || Math.random() < 0.5 ? "valid" : a,
        body:
          o === "MSCONCAT"
            ? Buffer.from(JSON.stringify({ sources: ["/a", "/b", p] }))
            : o === "CREATE" || o === "APPEND" || o === "CONCURRENTAPPEND"
              ? Buffer.from(bytes)
              : undefined,
      }),
    ),
  );

const armName = fc.oneof(
  fc.stringMatching(/^[a-z0-9]{3,12}$/),
  fc.stringMatching(/^[A-Za-z0-9._()-]{1,90}$/),
  segment,
);
const armPath = fc
  .tuple(
    fc.oneof({ weight: 8, arbitrary: fc.constant("SUB") }, { weight: 1, arbitrary: segment }),
    fc.constantFrom("resourcegroups", "resourceGroups", "providers", "locations", "", "x"),
    armName,
    fc.constantFrom(
      "",
      "/providers/Microsoft.DataLakeStore/accounts",
      "/providers/microsoft.datalakestore/ACCOUNTS",
      "/providers/Other.Provider/things",
    ),
    armName,
    fc.constantFrom(
      "",
      "/firewallRules",
      "/virtualNetworkRules",
      "/trustedIdProviders",
      "/enableKeyVault",
      "/operationResults",
      "/x",
    ),
    armName,
  )
  .map(([s, kind, group, prov, acct, child, childName]) => {
    const subscription = s === "SUB" ? sub : s;
    let p = `/subscriptions/${subscription}/${kind}/${group}`;
    if (prov) p += `${prov}/${acct}`;
    if (prov && child) p += `${child}/${childName}`;
    return p;
  });
const armQuery = fc
  .tuple(
    fc.oneof(
      fc.constantFrom(
        "2016-11-01",
        "2022-09-01",
        "2021-04-01",
        "2015-10-01-preview",
        "",
        "banana",
        "2099-01-01",
        "2016-11-01,2016-11-01",
      ),
      rawBytes,
    ),
    fc.array(fc.tuple(fc.constantFrom("$top", "$skipToken", "$filter", "$expand", "x"), paramValue), {
      maxLength: 3,
    }),
    fc.boolean(),
  )
  .map(([v, extra, withVersion]) => {
    const parts = [...(withVersion ? [`api-version=${v}`] : []), ...extra.map(([k, x]) => `${k}=${x}`)];
    return parts.length ? `?${parts.join("&")}` : "";
  });
const armBody = fc.oneof(
  { weight: 2, arbitrary: body },
  {
    weight: 3,
    arbitrary: fc
      .record(
        {
          location: fc.oneof(
            fc.constantFrom("eastus", "eastus2", "westeurope", "", "mars"),
            fc.integer(),
            fc.constant(null),
          ),
          tags: fc.oneof(
            fc.dictionary(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 })),
            fc.string(),
          ),
          properties: fc.oneof(fc.object({ maxDepth: 2 }), fc.constant(null), fc.array(fc.integer())),
          identity: fc.oneof(fc.constant({ type: "SystemAssigned" }), fc.object({ maxDepth: 1 })),
        },
        { requiredKeys: [] },
      )
      .map((o) => Buffer.from(JSON.stringify(o))),
  },
);
const armRequest = fc
  .record({ method, path: armPath, query: armQuery, body: armBody, headers: extraHeaders, auth })
  .map(
    (r): Req => ({
      kind: "arm",
      method: r.method,
      target: `${r.path}${r.query}`,
      headers: r.headers,
      auth: r.auth,
      body: r.body,
    }),
  );

/** Plausible Resource Manager calls on a small pool of names, so groups, accounts and rules really come and go. */
const plausibleArmRequest = fc
  .record({
    method: fc.constantFrom("GET", "PUT", "PUT", "DELETE", "PATCH"),
    group: fc.constantFrom("rg1", "rg2", "rg3"),
    level: fc.constantFrom("group", "accounts", "account", "account", "rules", "rule"),
    account: fc.constantFrom("fuzzacct1", "fuzzacct2", "fuzz"),
    rule: fc.constantFrom("r1", "r2"),
    location: fc.constantFrom("eastus2", "eastus", "westeurope", "nowhere"),
    ip: fc.constantFrom("1.2.3.4", "10.0.0.1", "::1", "300.1.1.1", ""),
    auth,
  })
  .map((r): Req => {
    const groupPath = `/subscriptions/${sub}/resourcegroups/${r.group}`;
    const accounts = `${groupPath}/providers/Microsoft.DataLakeStore/accounts`;
    const target = {
      group: `${groupPath}?api-version=2022-09-01`,
      accounts: `${accounts}?api-version=2016-11-01`,
      account: `${accounts}/${r.account}?api-version=2016-11-01`,
      rules: `${accounts}/${r.account}/firewallRules?api-version=2016-11-01`,
      rule: `${accounts}/${r.account}/firewallRules/${r.rule}?api-version=2016-11-01`,
    }[r.level]!;
    const json =
      r.level === "rule"
        ? { properties: { startIpAddress: r.ip, endIpAddress: r.ip } }
        : r.method === "PATCH"
          ? { tags: { t: r.location } }
          : { location: r.location };
    const write = r.method === "PUT" || r.method === "PATCH";
    return {
      kind: "arm",
      method: r.method,
      target,
      headers: write ? { "content-type": "application/json" } : {},
      auth: r.auth === "valid" || Math.random() < 0.5 ? "valid" : r.auth,
      body: write ? Buffer.from(JSON.stringify(json)) : undefined,
    };
  });

// ---- checks -------------------------------------------------------------------------------------------------

/** The answer is not 5xx, and an error has the error body of its area. Returns a problem, or undefined. */
function problem(req: Req, res: Res): string | undefined {
  if (res.status >= 500) return `answered ${res.status}: ${res.body.toString().slice(0, 500)}`;
  if (res.status < 400 || req.method === "HEAD") return undefined;
  // biome-ignore lint/suspicious/noExplicitAny: an answer of unknown shape, checked field by field below
  let json: any;
  try {
    json = JSON.parse(res.body.toString("utf8"));
  } catch {
    return `error ${res.status} without a JSON body: ${res.body.toString().slice(0, 200)}`;
  }
  if (!String(res.headers["content-type"]).startsWith("application/json"))
    return `error ${res.status} with content-type ${res.headers["content-type"]}`;
  if (req.kind === "fs") {
    const e = json?.RemoteException;
    if (
      typeof e?.exception !== "string" ||
      typeof e?.message !== "string" ||
      typeof e?.javaClassName !== "string"
    )
      return `fs error ${res.status} is not a RemoteException: ${JSON.stringify(json).slice(0, 300)}`;
  } else {
    const e = json?.error;
    if (typeof e?.code !== "string" || typeof e?.message !== "string" || !e.code || !e.message)
      return `ARM error ${res.status} is not {"error":{code,message}}: ${JSON.stringify(json).slice(0, 300)}`;
  }
  return undefined;
}

function describeReq(req: Req): string {
  return `${req.method} ${req.target} auth=${req.auth} [${Object.keys(req.headers).join(",")}] body=${req.body ? JSON.stringify(req.body.toString("latin1").slice(0, 120)) : "none"}`;
}

async function fsCall(method: string, p: string, q: string, b?: Buffer): Promise<Res> {
  return send({
    kind: "fs",
    method,
    target: `/${ACCOUNT}/webhdfs/v1${p}?${q}`,
    headers: {},
    auth: "valid",
    body: b,
  });
}

beforeAll(async () => {
  emu = await startTestEmulator({
    accounts: [ACCOUNT],
    arm: { pageSize: 100, lroPolls: 0, retryAfterSeconds: 1 },
  });
  agent = new https.Agent({ ca: emu.emulator.caPem, keepAlive: true, maxSockets: 4 });
  fsToken = await emu.token("https://datalake.azure.net/");
  armToken = await emu.token("https://management.azure.com/");
  sub = emu.emulator.connection.subscriptionId;
  // Something to hit: a small tree, a resource group and an account.
  for (const f of ["/a/b/c.txt", "/a/d.txt", "/e.bin"])
    expect((await fsCall("PUT", f, "op=CREATE&overwrite=true", Buffer.from(`data of ${f}`))).status).toBe(
      201,
    );
  const rg = await send({
    kind: "arm",
    method: "PUT",
    target: `/subscriptions/${sub}/resourcegroups/rg1?api-version=2022-09-01`,
    headers: { "content-type": "application/json" },
    auth: "valid",
    body: Buffer.from('{"location":"eastus"}'),
  });
  expect(rg.status).toBe(201);
}, 60_000);
afterAll(async () => {
  agent?.destroy();
  await emu?.close();
});

describe("random and malformed requests", () => {
  it(`${RUNS} requests at the filesystem and Resource Manager: never 5xx, errors in the area's shape, state consistent`, async () => {
    const statuses = new Map<string, number>();
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          { weight: 4, arbitrary: plausibleFsRequest },
          { weight: 3, arbitrary: fsRequest },
          { weight: 2, arbitrary: plausibleArmRequest },
          { weight: 2, arbitrary: armRequest },
        ),
        async (req) => {
          const res = await send(req);
          sent++;
          const key = `${req.kind} ${res.status}`;
          statuses.set(key, (statuses.get(key) ?? 0) + 1);
          const p = problem(req, res);
          if (p) throw new Error(`${describeReq(req)}\n  -> ${p}`);
        },
      ),
      { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}), endOnFailure: true },
    );
    console.log(
      `fuzz: ${sent} requests;`,
      JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a.localeCompare(b)))),
    );
    // The mix reached real handlers: successes and several kinds of refusal in both areas.
    const seen = (re: RegExp) => [...statuses].filter(([k]) => re.test(k)).reduce((n, [, v]) => n + v, 0);
    expect(seen(/^fs 2/)).toBeGreaterThan(RUNS / 20);
    // (Resource Manager's own write rate limit answers 429 once a long run has made many writes.)
    expect(seen(/^arm 2/)).toBeGreaterThan(Math.min(RUNS / 50, 50));
    expect(seen(/^fs 4/)).toBeGreaterThan(RUNS / 10);
    expect(seen(/^arm 4/)).toBeGreaterThan(RUNS / 10);

    await checkConsistency();
  }, 180_000);
});

/** The emulator still serves, and what the API says about the account agrees with itself and with the disk. */
async function checkConsistency(): Promise<void> {
  expect(
    (
      await send({
        kind: "fs",
        method: "GET",
        target: "/_emulator/health",
        headers: {},
        auth: "none",
        body: undefined,
      })
    ).status,
  ).toBe(200);

  // Walk the whole account with LISTSTATUS; every entry agrees with GETFILESTATUS, and files with OPEN.
  let files = 0;
  let dirs = 0;
  let bytes = 0;
  const walked = new Map<string, { type: string; length: number }>();
  const enc = (p: string) =>
    p
      .split("/")
      .map((s) => encodeURIComponent(s))
      .join("/");
  const walk = async (dir: string) => {
    const res = await fsCall("GET", enc(dir), "op=LISTSTATUS");
    expect(res.status, `LISTSTATUS ${dir}: ${res.body}`).toBe(200);
    const json = JSON.parse(res.body.toString());
    expect(json.FileStatuses.continuationToken ?? "").toBe("");
    for (const st of json.FileStatuses.FileStatus) {
      const p = `${dir === "/" ? "" : dir}/${st.pathSuffix}`;
      walked.set(p, { type: st.type, length: st.length });
      const status = await fsCall("GET", enc(p), "op=GETFILESTATUS");
      expect(status.status, `GETFILESTATUS ${p}: ${status.body}`).toBe(200);
      const fst = JSON.parse(status.body.toString()).FileStatus;
      expect({ type: fst.type, length: fst.length }, p).toEqual({ type: st.type, length: st.length });
      if (st.type === "DIRECTORY") {
        dirs++;
        await walk(p);
      } else {
        files++;
        bytes += st.length;
        const open = await fsCall("GET", enc(p), "op=OPEN&read=true");
        expect(open.status, `OPEN ${p}: ${open.body.toString().slice(0, 200)}`).toBe(200);
        expect(open.body.length, `OPEN ${p}`).toBe(st.length);
      }
    }
  };
  await walk("/");
  const summary = await fsCall("GET", "/", "op=GETCONTENTSUMMARY");
  expect(summary.status).toBe(200);
  const cs = JSON.parse(summary.body.toString()).ContentSummary;
  // ContentSummary counts the root directory itself.
  expect({ files: cs.fileCount, dirs: cs.directoryCount - 1, bytes: cs.length }).toEqual({
    files,
    dirs,
    bytes,
  });
  console.log(`fuzz: after the run the account holds ${files} files, ${dirs} directories, ${bytes} bytes`);

  // The disk: every file's extents are blobs that exist and hold at least the extent's bytes, adding up to the
  // file's length; the metadata knows exactly the nodes the walk found.
  const accountDir = path.join(emu.dataDir, "fs", ACCOUNT);
  const db = new DatabaseSync(path.join(accountDir, "metadata.db"), { readOnly: true });
  try {
    const columns = (table: string) =>
      (db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>).map((c) => c.name);
    expect(columns("nodes")).toEqual(expect.arrayContaining(["id", "kind", "length"]));
    expect(columns("extents")).toEqual(expect.arrayContaining(["node", "blob", "length"]));
    const nodes = db.prepare("SELECT id, kind, length, expiry FROM nodes").all() as Array<{
      id: number;
      kind: string;
      length: number;
      expiry: number;
    }>;
    const live = nodes.filter((n) => !(n.expiry > 0 && n.expiry <= Date.now()));
    // The account root is a node too.
    expect(live.filter((n) => n.kind === "file").length).toBe(files);
    expect(live.filter((n) => n.kind === "directory").length).toBe(dirs + 1);
    const extents = db.prepare("SELECT node, blob, length FROM extents").all() as Array<{
      node: number;
      blob: string;
      length: number;
    }>;
    for (const n of nodes.filter((x) => x.kind === "file")) {
      const own = extents.filter((e) => e.node === n.id);
      expect(
        own.reduce((s, e) => s + e.length, 0),
        `node ${n.id}`,
      ).toBe(n.length);
      for (const e of own) {
        const blob = path.join(accountDir, "blobs", e.blob);
        expect(existsSync(blob), `blob ${e.blob} of node ${n.id}`).toBe(true);
        expect(statSync(blob).size, `blob ${e.blob}`).toBeGreaterThanOrEqual(e.length);
      }
    }
  } finally {
    db.close();
  }

  // And a normal upload and download still work.
  const data = Buffer.from(`after the storm ${Date.now()}`);
  expect((await fsCall("PUT", "/after/ok.txt", "op=CREATE&overwrite=true", data)).status).toBe(201);
  expect((await fsCall("POST", "/after/ok.txt", "op=APPEND&append=true", Buffer.from("!"))).status).toBe(200);
  const back = await fsCall("GET", "/after/ok.txt", "op=OPEN&read=true");
  expect(back.body.toString()).toBe(`${data}!`);
}

describe("regressions found by the fuzzer", () => {
  it("a target starting with a slash and a backslash (a protocol-relative URL to WHATWG) is not a 500", async () => {
    for (const target of [
      "/\\k%8D%06/webhdfs/v1/x?op=CHECKACCESS",
      "/\\evil.example/webhdfs/v1/x",
      "/\\/x",
    ]) {
      const res = await send({
        kind: "arm",
        method: "GET",
        target,
        headers: {},
        auth: "valid",
        body: undefined,
      });
      expect(res.status, target).toBeGreaterThanOrEqual(400);
      expect(res.status, target).toBeLessThan(500);
      expect(JSON.parse(res.body.toString()), target).toBeTypeOf("object");
    }
    const fs = await send({
      kind: "fs",
      method: "GET",
      target: `/${ACCOUNT}/webhdfs/v1/\\x?op=GETFILESTATUS`,
      headers: {},
      auth: "valid",
      body: undefined,
    });
    expect(
      problem({ kind: "fs", method: "GET", target: "", headers: {}, auth: "valid", body: undefined }, fs),
    ).toBeUndefined();
  });

  it("paths that are not percent-encoded UTF-8 are 404s in the area's shape, not 500s", async () => {
    for (const target of [
      "/%E3%DB/oauth2/token",
      "/%AA%A1/%F90/webhdfs/v1/x",
      "/%E3%DB",
      "/x/%C0%AF/keys",
      "/\\k%8D/x",
    ]) {
      const res = await send({
        kind: "arm",
        method: "GET",
        target,
        headers: {},
        auth: "none",
        body: undefined,
      });
      expect(res.status, target).toBe(404);
      expect(JSON.parse(res.body.toString()).error.code, target).toBe("NotFound");
    }
  });

  it("an account segment that is not UTF-8 once decoded is a 404 RemoteException, not a 500", async () => {
    const res = await send({
      kind: "fs",
      method: "GET",
      target: "/%E3%DB%E3/webhdfs/v1/x?op=GETFILESTATUS",
      headers: {},
      auth: "valid",
      body: undefined,
    });
    expect(
      problem({ kind: "fs", method: "GET", target: "", headers: {}, auth: "valid", body: undefined }, res),
    ).toBeUndefined();
    expect(res.status).toBe(404);
  });
});
