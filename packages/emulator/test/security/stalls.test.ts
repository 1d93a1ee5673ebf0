import { randomUUID } from "node:crypto";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { MAX_CONCAT_SOURCES } from "../../src/webhdfs/operations/concat.js";
import { addEntries } from "../helpers/bulk-tree.js";
import {
  type EmulatorProcess,
  type ProcessResponse,
  startEmulatorProcess,
} from "../helpers/emulator-process.js";

/**
 * Issue 16, finding 4: one request must not freeze the server. An MSCONCAT of 400,000 sources kept
 * `/_emulator/health` waiting 16 s. Each worst case below runs while health is polled; the slowest health
 * answer must stay under a second (the aim is ~100 ms; a loaded two-core machine gets slack), and is logged.
 * The emulator runs in a process of its own (the built package), so what is timed is the server alone, not the
 * test's own work as a client. Big trees are built below the HTTP layer (test/helpers/bulk-tree.ts).
 */
const ACCOUNT = "stalls";
const WIDE = 100_000;
const TREE_DIRS = 100;
const TREE_FILES_PER_DIR = 1_000;
const HEALTH_LIMIT_MS = 1_000;
const DATALAKE = "https://datalake.azure.net/";

let emu: EmulatorProcess;
/** B: a second principal of the account's own (default) tenant; another tenant's tokens are refused (401). */
const other = {
  clientId: randomUUID(),
  objectId: randomUUID(),
  secret: randomUUID(),
};
const tokens: Record<"owner" | "other", string> = { owner: "", other: "" };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function token(tenant: string, clientId: string, secret: string): Promise<string> {
  const form = new URLSearchParams({
    grant_type: "client_credentials",
    client_id: clientId,
    client_secret: secret,
    resource: DATALAKE,
  });
  const res = await emu.request("POST", `/${tenant}/oauth2/token`, {
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form.toString(),
  });
  expect(res.status, res.text()).toBe(200);
  return JSON.parse(res.text()).access_token;
}

/** A filesystem call as the account owner (a super-user) or as B, the other principal. */
function call(
  method: string,
  p: string,
  query: string,
  options: { as?: "owner" | "other"; body?: string } = {},
): Promise<ProcessResponse> {
  return emu.request(method, `/${ACCOUNT}/webhdfs/v1${p}?${query}`, {
    headers: { authorization: `Bearer ${tokens[options.as ?? "owner"]}` },
    ...(options.body !== undefined ? { body: options.body } : {}),
  });
}
const asB = { as: "other" as const };

function remote(res: ProcessResponse, status: number): { exception: string; message: string } {
  expect(res.status, res.text()).toBe(status);
  return JSON.parse(res.text()).RemoteException;
}

beforeAll(async () => {
  emu = await startEmulatorProcess({
    accounts: [ACCOUNT],
    applications: [{ clientId: other.clientId, objectId: other.objectId, secrets: [other.secret] }],
  });
  const c = emu.connection;
  tokens.owner = await token(c.tenantId, c.clientId, c.clientSecret);
  tokens.other = await token(c.tenantId, other.clientId, other.secret);
  const b = other.objectId;
  expect((await call("PUT", "/", `op=MODIFYACLENTRIES&aclSpec=user:${b}:rwx`)).status).toBe(200);
  // Templates owned by B: the bulk rows copy their owner, group and ACL.
  for (const p of ["/tmpl/file", "/tree/keep", "/wide/keep", "/segs/keep"])
    expect((await call("PUT", p, "op=CREATE&overwrite=true")).status).toBe(201);
  expect((await call("PUT", "/tmpl/dir", "op=MKDIRS")).status).toBe(200);
  for (const p of ["/tmpl/file", "/tmpl/dir", "/tree", "/tree/keep", "/wide", "/segs"])
    expect((await call("PUT", p, `op=SETOWNER&owner=${b}`)).status).toBe(200);
  const add = (parent: string, kind: "file" | "directory", count: number) =>
    addEntries(emu.dataDir, ACCOUNT, {
      parent,
      kind,
      count,
      template: kind === "file" ? "/tmpl/file" : "/tmpl/dir",
    });
  add("/wide", "file", WIDE);
  add("/tree", "directory", TREE_DIRS);
  for (let i = 0; i < TREE_DIRS; i++) add(`/tree/d${i}`, "file", TREE_FILES_PER_DIR);
  add("/segs", "file", MAX_CONCAT_SOURCES);
}, 120_000);
afterAll(() => emu?.close());

async function health(): Promise<number> {
  const started = performance.now();
  const res = await emu.request("GET", "/_emulator/health");
  if (res.status !== 200) throw new Error(`health answered ${res.status}`);
  return performance.now() - started;
}

/** Runs `work` while polling health; returns its result and the slowest health answer, and logs both. */
async function whileHealthPolled<T>(
  name: string,
  work: () => Promise<T>,
): Promise<{ result: T; worstMs: number }> {
  let done = false;
  let worstMs = 0;
  let probes = 0;
  const poller = (async () => {
    while (!done) {
      worstMs = Math.max(worstMs, await health());
      probes++;
      await sleep(10);
    }
  })();
  const started = performance.now();
  try {
    const result = await work();
    const tookMs = performance.now() - started;
    done = true;
    await poller;
    console.log(
      `stalls: ${name}: took ${tookMs.toFixed(0)} ms; ${probes} health probes, slowest ${worstMs.toFixed(1)} ms`,
    );
    return { result, worstMs };
  } finally {
    done = true;
  }
}

/** Nodes left in the account's metadata, reachable or not (what a background clean-up still has to do). */
function nodesInDatabase(): number {
  const db = new DatabaseSync(path.join(emu.dataDir, "fs", ACCOUNT, "metadata.db"), { readOnly: true });
  try {
    return (db.prepare("SELECT COUNT(*) AS n FROM nodes").get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe("issue 16 finding 4: no single request stalls the server", { timeout: 60_000 }, () => {
  test(`MSCONCAT with 400,000 sources (5.9 MB) is 400 IllegalArgumentException, at once`, async () => {
    const sources = Array.from({ length: 400_000 }, (_, i) => `/x/segment${i}`);
    const body = JSON.stringify({ sources });
    expect(body.length).toBeGreaterThan(5_900_000);
    const { result, worstMs } = await whileHealthPolled("MSCONCAT 400,000 sources", () =>
      call("POST", "/out/all", "op=MSCONCAT", { body }),
    );
    const error = remote(result, 400);
    expect(error.exception).toBe("IllegalArgumentException");
    expect(error.message).toContain(String(MAX_CONCAT_SOURCES));
    expect(worstMs).toBeLessThan(HEALTH_LIMIT_MS);
  });

  test(`MSCONCAT of ${MAX_CONCAT_SOURCES} sources (the limit) joins them without a stall`, async () => {
    const sources = Array.from({ length: MAX_CONCAT_SOURCES }, (_, i) => `/segs/f${i}`);
    const { result, worstMs } = await whileHealthPolled(`MSCONCAT ${MAX_CONCAT_SOURCES} sources`, () =>
      call("POST", "/segs-out", "op=MSCONCAT&deleteSourceDirectory=true", {
        ...asB,
        body: JSON.stringify({ sources }),
      }),
    );
    expect(result.status, result.text()).toBe(200);
    expect((await call("GET", "/segs", "op=GETFILESTATUS")).status).toBe(404);
    expect(worstMs).toBeLessThan(HEALTH_LIMIT_MS);
  });

  test(`LISTSTATUS of a directory of ${WIDE} entries answers them all without a stall`, async () => {
    const { result, worstMs } = await whileHealthPolled(`LISTSTATUS ${WIDE} entries`, () =>
      call("GET", "/wide", "op=LISTSTATUS", asB),
    );
    expect(result.status).toBe(200);
    const statuses = JSON.parse(result.text()).FileStatuses.FileStatus as Array<{ pathSuffix: string }>;
    expect(statuses.length).toBe(WIDE + 1);
    expect(new Set(statuses.map((s) => s.pathSuffix)).size).toBe(WIDE + 1);
    expect(worstMs).toBeLessThan(HEALTH_LIMIT_MS);
  });

  const treeFiles = TREE_DIRS * TREE_FILES_PER_DIR + 1;
  test(`GETCONTENTSUMMARY of a tree of ${treeFiles} files in ${TREE_DIRS} directories, as a non-super-user`, async () => {
    const { result, worstMs } = await whileHealthPolled("GETCONTENTSUMMARY tree", () =>
      call("GET", "/tree", "op=GETCONTENTSUMMARY", asB),
    );
    expect(result.status, result.text()).toBe(200);
    expect(JSON.parse(result.text()).ContentSummary).toMatchObject({
      directoryCount: TREE_DIRS + 1,
      fileCount: treeFiles,
    });
    expect(worstMs).toBeLessThan(HEALTH_LIMIT_MS);
  });

  const deletes: Array<[string, string, { as?: "other" }]> = [
    ["DELETE recursive of the tree, as a non-super-user (every directory checked)", "/tree", asB],
    [`DELETE recursive of the ${WIDE}-entry directory, as the owner`, "/wide", {}],
  ];
  for (const [name, target, who] of deletes) {
    test(`${name}: gone at once, cleaned up without a stall`, async () => {
      const before = nodesInDatabase();
      const { result, worstMs } = await whileHealthPolled(name, async () => {
        const res = await call("DELETE", target, "op=DELETE&recursive=true", who);
        expect((await call("GET", target, "op=GETFILESTATUS")).status).toBe(404);
        // Whatever is cleaned up after the answer must not stall either: poll until it is done.
        for (let i = 0; i < 600 && nodesInDatabase() > before - 1000; i++) await sleep(50);
        return res;
      });
      expect(result.status).toBe(200);
      expect(JSON.parse(result.text())).toEqual({ boolean: true });
      expect(nodesInDatabase()).toBeLessThan(before - 1000);
      expect(worstMs).toBeLessThan(HEALTH_LIMIT_MS);
    });
  }

  test("an ACL is bounded (32 entries, as in HDFS and ADLS) and a path to 1000 levels", async () => {
    const names = Array.from(
      { length: 40 },
      (_, i) => `user:00000000-0000-0000-0000-${String(i).padStart(12, "0")}:r-x`,
    );
    expect((await call("PUT", "/acl", "op=MKDIRS")).status).toBe(200);
    const tooMany = await call("PUT", "/acl", `op=MODIFYACLENTRIES&aclSpec=${names.join(",")}`);
    expect(remote(tooMany, 400).message).toContain("32");
    // Adding them a few at a time ends at the same limit.
    let refused = 0;
    for (let i = 0; i < names.length; i += 4) {
      const res = await call("PUT", "/acl", `op=MODIFYACLENTRIES&aclSpec=${names.slice(i, i + 4).join(",")}`);
      if (res.status === 400) refused++;
      else expect(res.status).toBe(200);
    }
    expect(refused).toBeGreaterThan(0);
    const acl = JSON.parse((await call("GET", "/acl", "op=GETACLSTATUS")).text()).AclStatus;
    expect(acl.entries.length).toBeLessThanOrEqual(32);
    const deep = `/${Array.from({ length: 1001 }, () => "d").join("/")}`;
    expect(remote(await call("PUT", deep, "op=MKDIRS"), 400).exception).toBe("IllegalArgumentException");
    expect((await call("PUT", deep.slice(0, -2), "op=MKDIRS")).status).toBe(200);
  });
});
