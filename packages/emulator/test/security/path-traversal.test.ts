import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import https from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/start.js";

/**
 * Issue 7: path traversal. Every name the attacks use carries a marker; the data directory sits three levels
 * below a directory this test owns, with canaries at each level. After every attack (CREATE, MKDIRS, APPEND,
 * RENAME, CONCAT, MSCONCAT, OPEN, DELETE, on the file path, in parameters and in the account part of the URL,
 * and on Resource Manager names) the canaries are untouched, the tree outside the data directory is exactly as
 * it was, nothing anywhere on disk is named after the marker, and the emulator never answered 5xx.
 */
const MARK = `pwn${randomBytes(4).toString("hex")}`;
const ACCOUNT = "trav";

let root: string;
let dataDir: string;
let emulator: RunningEmulator;
let agent: https.Agent;
let fsToken: string;
let armToken: string;
const canaries = new Map<string, string>();

interface Res {
  status: number;
  text: string;
}

function raw(method: string, target: string, token: string, body?: string | Buffer): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        method,
        host: "127.0.0.1",
        servername: "localhost",
        port: emulator.port,
        path: target,
        agent,
        headers: {
          host: `localhost:${emulator.port}`,
          authorization: `Bearer ${token}`,
          "content-length": String(body ? Buffer.byteLength(body) : 0),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

async function token(resource: string): Promise<string> {
  const c = emulator.connection;
  const form = new URLSearchParams({
    grant_type: "client_credentials",
    client_id: c.clientId,
    client_secret: c.clientSecret,
    resource,
  }).toString();
  const res = await new Promise<Res>((resolve, reject) => {
    const req = https.request(
      `${emulator.url}/${c.tenantId}/oauth2/token`,
      { method: "POST", agent, headers: { "content-type": "application/x-www-form-urlencoded" } },
      (r) => {
        let text = "";
        r.on("data", (d) => {
          text += d;
        });
        r.on("end", () => resolve({ status: r.statusCode ?? 0, text }));
      },
    );
    req.on("error", reject);
    req.end(form);
  });
  return JSON.parse(res.text).access_token;
}

/** Every file and directory under `dir` with size and mtime, skipping `skip`. */
function snapshot(dir: string, skip: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      if (p === skip) continue;
      const st = statSync(p);
      out.set(p, st.isDirectory() ? "dir" : `${st.size}:${st.mtimeMs}`);
      if (st.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}

/** Paths anywhere under `dir` (bounded depth) whose name contains the marker. */
function marked(dir: string, depth: number): string[] {
  const found: string[] = [];
  const walk = (d: string, left: number) => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const name of names) {
      const p = path.join(d, name);
      if (name.includes(MARK)) found.push(p);
      if (left > 0) {
        try {
          if (statSync(p).isDirectory()) walk(p, left - 1);
        } catch {}
      }
    }
  };
  walk(dir, depth);
  return found;
}

let before: Map<string, string>;

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), "adl-emu-traversal-"));
  dataDir = path.join(root, "a", "b", "data");
  mkdirSync(dataDir, { recursive: true });
  for (const d of [root, path.join(root, "a"), path.join(root, "a", "b")]) {
    const file = path.join(d, "canary.txt");
    const content = `canary ${randomBytes(8).toString("hex")}`;
    writeFileSync(file, content);
    canaries.set(file, content);
  }
  emulator = await startEmulator({ port: 0, dataDir, config: { accounts: [ACCOUNT] } });
  agent = new https.Agent({ ca: emulator.caPem, keepAlive: true });
  fsToken = await token("https://datalake.azure.net/");
  armToken = await token("https://management.azure.com/");
  before = snapshot(root, dataDir);
}, 60_000);

afterAll(async () => {
  await emulator?.close();
  agent?.destroy();
  if (root) rmSync(root, { recursive: true, force: true });
});

const dots = ["..", "%2e%2e", "%2E%2E", ".%2e", "%2e.", "%252e%252e", "..%c0%af", "%c0%ae%c0%ae"];
const seps = ["/", "%2f", "%2F", "\\", "%5c", "%5C", "%252f"];

/** Relative climbs out of the account, in every spelling, ending in a marked name. */
function climbs(): string[] {
  const out: string[] = [];
  for (const dot of dots)
    for (const sep of seps)
      out.push(`/${Array.from({ length: 6 }, () => dot).join(sep)}${sep}${MARK}-${out.length}`);
  out.push(
    `/a/b/../../../../../../${MARK}-abs`,
    `//${root.slice(1)}/${MARK}-abs2`,
    `/${encodeURIComponent(root)}%2f${MARK}-abs3`,
    `/${MARK}-nul%00/../x`,
    `/x%00${MARK}-nul2`,
    `/${MARK}-nul3%00.txt`,
    `/${"..%2f".repeat(40)}${MARK}-deep`,
    `/${MARK}-${"n".repeat(300)}`,
    `/${MARK}-${"o".repeat(5000)}`,
    `/${Array.from({ length: 200 }, (_, i) => `${MARK}d${i}`).join("/")}`,
  );
  return out;
}

describe("path traversal never reaches outside the data directory", () => {
  it("file paths, parameters and account names in every spelling", async () => {
    const statuses = new Map<number, number>();
    const note = (r: Res, what: string) => {
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      expect(r.status, `${what}: ${r.text.slice(0, 300)}`).toBeLessThan(500);
      expect(r.status, what).toBeGreaterThanOrEqual(200);
    };
    const fs = (p: string, query: string) => `/${ACCOUNT}/webhdfs/v1${p}?${query}`;
    await raw("PUT", fs("/inside/src1", "op=CREATE&overwrite=true"), fsToken, "one");
    await raw("PUT", fs("/inside/src2", "op=CREATE&overwrite=true"), fsToken, "two");

    let n = 0;
    const createdInside: string[] = [];
    for (const p of climbs()) {
      const tag = `${p.slice(0, 80)}`;
      const created = await raw("PUT", fs(p, "op=CREATE&overwrite=true"), fsToken, "attack");
      note(created, `CREATE ${tag}`);
      if (created.status === 201) createdInside.push(p);
      note(await raw("PUT", fs(p, "op=MKDIRS"), fsToken), `MKDIRS ${tag}`);
      note(await raw("POST", fs(p, "op=APPEND&append=true"), fsToken, "more"), `APPEND ${tag}`);
      note(await raw("GET", fs(p, "op=OPEN&read=true"), fsToken), `OPEN ${tag}`);
      note(await raw("GET", fs(p, "op=GETFILESTATUS"), fsToken), `GETFILESTATUS ${tag}`);
      note(await raw("GET", fs(p, "op=LISTSTATUS"), fsToken), `LISTSTATUS ${tag}`);
      // The climb as a parameter: RENAME destination, CONCAT and MSCONCAT sources.
      const dest = p.replace(/^\//, "");
      note(
        await raw("PUT", fs(`/inside/r${n}`, "op=CREATE&overwrite=true"), fsToken, "r"),
        `CREATE for rename`,
      );
      note(
        await raw("PUT", fs(`/inside/r${n}`, `op=RENAME&destination=${dest}`), fsToken),
        `RENAME to ${tag}`,
      );
      note(await raw("PUT", fs(`/inside/r${n}`, `op=RENAME&destination=${p}`), fsToken), `RENAME to /${tag}`);
      note(await raw("POST", fs(`/${MARK}-c${n}`, `op=CONCAT&sources=${p},${p}x`), fsToken), `CONCAT ${tag}`);
      note(
        await raw(
          "POST",
          fs(`/${MARK}-m${n}`, "op=MSCONCAT"),
          fsToken,
          JSON.stringify({ sources: [safeDecode(safeDecode(p)), "/inside/src1"] }),
        ),
        `MSCONCAT ${tag}`,
      );
      n++;
    }
    // The account part of the URL.
    for (const acct of [
      "..",
      "%2e%2e",
      `..%2f..%2f${MARK}`,
      `%2e%2e%2f%2e%2e%2f${MARK}`,
      `..%5c..%5c${MARK}`,
      `${ACCOUNT}%2f..%2f..`,
      `${ACCOUNT}%00`,
      `${MARK}${"q".repeat(3000)}`,
    ]) {
      note(
        await raw("PUT", `/${acct}/webhdfs/v1/${MARK}?op=CREATE&overwrite=true`, fsToken, "x"),
        `acct ${acct}`,
      );
      note(await raw("PUT", `/${acct}/webhdfs/v1/${MARK}?op=MKDIRS`, fsToken), `acct ${acct}`);
    }
    // Resource Manager names: resource groups and accounts.
    const sub = emulator.connection.subscriptionId;
    for (const name of [
      `..%2f..%2f${MARK}`,
      `%2e%2e`,
      `..`,
      `${MARK}%00`,
      `${MARK}%5c..%5c..`,
      "x".repeat(2000),
    ]) {
      note(
        await raw(
          "PUT",
          `/subscriptions/${sub}/resourcegroups/${name}?api-version=2022-09-01`,
          armToken,
          JSON.stringify({ location: "eastus" }),
        ),
        `rg ${name.slice(0, 40)}`,
      );
      note(
        await raw(
          "PUT",
          `/subscriptions/${sub}/resourceGroups/rg1/providers/Microsoft.DataLakeStore/accounts/${name}?api-version=2016-11-01`,
          armToken,
          JSON.stringify({ location: "eastus2" }),
        ),
        `account ${name.slice(0, 40)}`,
      );
    }
    // Last, deletions of the climbs (recursive): at worst they empty this account, never anything outside.
    for (const p of climbs())
      note(await raw("DELETE", fs(p, "op=DELETE&recursive=true"), fsToken), `DELETE ${p}`);
    console.log(
      "accepted CREATE paths (inside the account):",
      createdInside.slice(0, 12).join("  "),
      createdInside.length,
    );
    console.log(
      "traversal statuses:",
      JSON.stringify(Object.fromEntries(statuses)),
      "requests:",
      [...statuses.values()].reduce((a, b) => a + b, 0),
    );

    // Nothing outside the data directory changed: canaries, the whole tree around it, and no marked names.
    for (const [file, content] of canaries) expect(readFileSync(file, "utf8")).toBe(content);
    expect(snapshot(root, dataDir)).toEqual(before);
    expect(marked(root, 12).filter((p) => !p.startsWith(dataDir))).toEqual([]);
    expect(marked(tmpdir(), 0)).toEqual([]);
    expect(marked("/", 0)).toEqual([]);
    expect(marked(process.cwd(), 2)).toEqual([]);
    // Not even inside: the emulator never names a disk file after a client's path.
    expect(marked(dataDir, 12)).toEqual([]);

    // And it still works.
    expect((await raw("PUT", fs("/after/ok", "op=CREATE&overwrite=true"), fsToken, "still")).status).toBe(
      201,
    );
    expect(await raw("GET", fs("/after/ok", "op=OPEN&read=true"), fsToken)).toMatchObject({
      status: 200,
      text: "still",
    });
  }, 120_000);
});

function safeDecode(p: string): string {
  try {
    return decodeURIComponent(p);
  } catch {
    return p;
  }
}
