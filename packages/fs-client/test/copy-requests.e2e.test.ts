import { createHash } from "node:crypto";
import tls from "node:tls";
import { Agent } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copy, type FsClient, type Gen2FsClient } from "../src/index.js";
import { type Gen2Context, setupGen2 } from "./gen2-helpers.js";
import { admin, bytes, setup, type TestContext } from "./helpers.js";

// What one small file costs a Gen1 -> Gen2 migration, counted in the emulator's journal, so that the number cannot
// grow back unnoticed. The guarantees stay: staged and published by one rename, read back (length and SHA-256),
// the source looked at again, ACL, owner and permissions carried.
const USER = "470c0ccf-c91a-4597-98cd-48507d2f1486";
const OWNER = "1f3c5e7a-2b4d-4c6e-8a0b-c2d4e6f80a1b";
const GROUP = "9a7d3e21-5b6c-4d8e-8f90-1a2b3c4d5e6f";
const DIR_ACL = [
  "user::rwx",
  `user:${USER}:r-x`,
  "group::r-x",
  "mask::r-x",
  "other::---",
  "default:user::rwx",
  `default:user:${USER}:rw-`,
  "default:group::r-x",
  "default:mask::rwx",
  "default:other::---",
];

let g1: TestContext;
let gen1: FsClient;
let g2: Gen2Context;
let gen2: Gen2FsClient;

beforeAll(async () => {
  g1 = setup("copy-requests");
  gen1 = g1.client;
  g2 = await setupGen2("copyreq");
  gen2 = g2.client;
});
afterAll(async () => {
  await gen1?.rm(g1.root, { recursive: true, force: true });
  await gen1?.close();
  await gen2?.close();
});

interface JournalEntry {
  time: string;
  path: string;
  op?: string;
  status: number;
}

/**
 * Requests for one file of a copy, by op: on the Gen1 side `source/rel`, on the Gen2 side `target/rel` or its
 * staging name (this file's account is its own; the Gen1 root too), from `since` on (after the setup's own).
 */
async function requestsFor(
  since: string,
  source: string,
  target: string,
  rel: string,
): Promise<Record<string, number>> {
  const { entries } = (await admin(g1.fixture.connection, g1.fixture.caPem, "GET", "journal")) as {
    entries: JournalEntry[];
  };
  const quote = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const gen1Path = new RegExp(`${quote(`${source}/${rel}`)}$`);
  const gen2Path = new RegExp(
    `/${g2.account}/${g2.filesystem}${quote(`${target}/${rel}`)}($|\\.adlkit-copy\\.)`,
  );
  const counts: Record<string, number> = {};
  for (const e of entries) {
    const p = decodeURIComponent(e.path);
    if (e.time < since) continue;
    if (gen1Path.test(p) || gen2Path.test(p)) counts[e.op ?? "?"] = (counts[e.op ?? "?"] ?? 0) + 1;
  }
  return counts;
}

const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

describe("copy: requests per small file (Gen1 -> Gen2, preserve)", () => {
  it("seven: ACL read, read, create with access control, append+flush, read back, source recheck, rename", async () => {
    const root = `${g1.root}/tree`;
    await gen1.mkdir(`${root}/a`);
    await gen1.setAcl(`${root}/a`, DIR_ACL);
    const files = 6;
    for (let i = 0; i < files; i++) await gen1.writeFile(`${root}/a/f${i}.txt`, bytes(1000 + i, i));
    await gen1.setOwner(`${root}/a/f0.txt`, { owner: OWNER, group: GROUP });
    await gen1.setPermission(`${root}/a/f1.txt`, "1640");
    const since = new Date().toISOString();
    const report = await copy(
      { client: gen1, path: root },
      { client: gen2, path: "/req-target" },
      { recursive: true, concurrency: 4 },
    );
    expect(report).toMatchObject({ files, failed: 0 });
    for (let i = 0; i < files; i++) {
      const counts = await requestsFor(since, root, "/req-target", `a/f${i}.txt`);
      const expected: Record<string, number> = {
        MSGETACLSTATUS: 1, // the source's ACL, owner, group, permission
        OPEN: 1,
        GETFILESTATUS: 1, // the source looked at again after the copy (SourceChangedError)
        "dfs:create-file": 1, // with x-ms-acl, x-ms-owner, x-ms-group (x-ms-permissions)
        "dfs:append": 1, // with flush=true
        "blob:path-none-get": 1, // the read-back (the emulator journals a DFS read as the Blob GET it is)
        "dfs:rename": 1,
      };
      // f1 carries a sticky bit beside its ACL: ACL and bits are not sent in one request, so all three (ACL, bits,
      // owner) are set after the read-back, as before.
      if (i === 1) expected["dfs:setAccessControl"] = 3;
      expect({ file: i, ...counts }).toEqual({ file: i, ...expected });
    }
    expect(total(await requestsFor(since, root, "/req-target", "a/f2.txt"))).toBe(7);
    // What was carried is what the source has.
    for (let i = 0; i < files; i++) {
      const [from, to] = await Promise.all([
        gen1.getAclStatus(`${root}/a/f${i}.txt`),
        gen2.getAclStatus(`/req-target/a/f${i}.txt`),
      ]);
      expect({ ...to, entries: [...to.entries].sort() }).toEqual({
        ...from,
        entries: [...from.entries].sort(),
      });
      expect(await gen2.cat(`/req-target/a/f${i}.txt`)).toEqual(bytes(1000 + i, i));
    }
  });

  it("an ACL that denies its owner writing is carried after the read-back, not in the create", async () => {
    const root = `${g1.root}/locked`;
    await gen1.writeFile(`${root}/ro.txt`, "read only");
    await gen1.setAcl(`${root}/ro.txt`, [
      `user::r--`,
      `user:${USER}:rw-`,
      "group::r--",
      "mask::rw-",
      "other::---",
    ]);
    const since = new Date().toISOString();
    const report = await copy(
      { client: gen1, path: root },
      { client: gen2, path: "/locked" },
      { recursive: true },
    );
    expect(report).toMatchObject({ files: 1, failed: 0 });
    const counts = await requestsFor(since, root, "/locked", "ro.txt");
    expect(counts["dfs:setAccessControl"]).toBeGreaterThanOrEqual(1);
    expect((await gen2.getAclStatus("/locked/ro.txt")).entries.sort()).toEqual(
      (await gen1.getAclStatus(`${root}/ro.txt`)).entries.sort(),
    );
    expect((await gen2.cat("/locked/ro.txt")).toString()).toBe("read only");
  });

  it("a client pinned to an older API version gets the separate requests (ACL and commit not combined)", async () => {
    const root = `${g1.root}/old-version`;
    await gen1.mkdir(root);
    await gen1.setAcl(root, DIR_ACL);
    await gen1.writeFile(`${root}/f.txt`, "inherits named entries");
    const old = g2.makeClient({ apiVersion: "2020-02-10" });
    const since = new Date().toISOString();
    const report = await copy(
      { client: gen1, path: root },
      { client: old, path: "/old-version" },
      { recursive: true },
    );
    expect(report).toMatchObject({ files: 1, failed: 0 });
    const counts = await requestsFor(since, root, "/old-version", "f.txt");
    expect(counts).toMatchObject({
      "dfs:create-file": 1,
      "dfs:append": 1,
      "dfs:flush": 1,
      "dfs:setAccessControl": 2,
    });
    const [from, to] = await Promise.all([
      gen1.getAclStatus(`${root}/f.txt`),
      gen2.getAclStatus("/old-version/f.txt"),
    ]);
    expect({ ...to, entries: [...to.entries].sort() }).toEqual({
      ...from,
      entries: [...from.entries].sort(),
    });
    await old.close();
  });

  it("without looking first, a small file still never replaces what is in the way", async () => {
    await gen1.writeFile(`${g1.root}/one.txt`, "new");
    await gen2.writeFile("/busy/one.txt", "old");
    await gen2.mkdir("/busy-dir/one.txt");
    const kept = await copy({ client: gen1, path: `${g1.root}/one.txt` }, { client: gen2, path: "/busy" });
    expect(kept).toMatchObject({ files: 0, failed: 1, failures: [{ code: "PATH_EXISTS" }] });
    expect(kept.failures[0]?.message).toMatch(/already exists/);
    expect((await gen2.cat("/busy/one.txt")).toString()).toBe("old");
    const dir = await copy(
      { client: gen1, path: `${g1.root}/one.txt` },
      { client: gen2, path: "/busy-dir" },
      { overwrite: true },
    );
    expect(dir).toMatchObject({ files: 0, failed: 1, failures: [{ code: "PATH_EXISTS" }] });
    expect(dir.failures[0]?.message).toMatch(/a directory is in the way/);
    const replaced = await copy(
      { client: gen1, path: `${g1.root}/one.txt` },
      { client: gen2, path: "/busy" },
      { overwrite: true },
    );
    expect(replaced).toMatchObject({ files: 1, failed: 0 });
    expect((await gen2.cat("/busy/one.txt")).toString()).toBe("new");
    const names: string[] = [];
    for await (const e of gen2.walk("/")) names.push(e.path);
    expect(names.filter((n) => n.includes(".adlkit-copy."))).toEqual([]);
  });

  it("a one-block append that also commits, whose answer was lost, is repeated and lands once", async () => {
    // The first append+flush reaches the service and commits; its answer never comes back.
    let dropped = 0;
    const agent = new Agent({ connect: { ca: [...tls.rootCertificates, g1.fixture.caPem] } });
    const dispatcher = agent.compose((dispatch) => (opts, handler) => {
      if (!String(opts.path).includes("flush=true") || dropped++ > 0) return dispatch(opts, handler);
      return dispatch(opts, {
        onRequestStart: (controller, context) => handler.onRequestStart?.(controller, context),
        onResponseStart: (controller) =>
          controller.abort(Object.assign(new Error("simulated: answer lost"), { code: "ECONNRESET" })),
        onResponseData: () => {},
        onResponseEnd: () => {},
        onResponseError: (controller, err) => handler.onResponseError?.(controller, err),
      });
    });
    const lossy = g2.makeClient({ dispatcher });
    const data = bytes(5000, 17);
    const md5 = createHash("md5").update(data).digest("base64");
    await lossy.create("/lossy.bin", { overwrite: true });
    await lossy.append("/lossy.bin", 0, data, { contentMd5: md5, flush: { contentMd5: md5 } });
    expect(dropped).toBeGreaterThanOrEqual(1);
    expect(await gen2.cat("/lossy.bin")).toEqual(data);
    expect((await gen2.stat("/lossy.bin")).length).toBe(data.length);
    // And a whole copy through it: the file's one append is the lossy one.
    dropped = 0;
    await gen1.writeFile(`${g1.root}/lossy-src.txt`, data);
    const report = await copy(
      { client: gen1, path: `${g1.root}/lossy-src.txt` },
      { client: lossy, path: "/lossy-copy.bin" },
    );
    expect(report).toMatchObject({ files: 1, failed: 0 });
    expect(await gen2.cat("/lossy-copy.bin")).toEqual(data);
    await lossy.close();
    await agent.close();
  });
});
