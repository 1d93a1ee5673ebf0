import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { sharedEmulator } from "@adlkit/testkit";
import { beforeAll, describe, expect, it } from "vitest";
import { json, runAdl, tempDir } from "../helpers.js";
import { emulatorEnv, unique } from "./env.js";

interface Changed {
  path: string;
  count: number;
  directories: number;
  files: number;
  failed: number;
  failures: Array<{ path: string; message: string }>;
  spec?: string;
}

const DIRS = 10;
const FILES = 25;
// The tree's root, its directories and their files.
const TREE = 1 + DIRS + DIRS * FILES;

/**
 * `adl fs acl set|modify|remove -R` on Gen2: one change on the service (setAccessControlRecursive) that adl
 * continues batch by batch, over a tree of a few hundred paths; a caller who may not change every path (the
 * host's managed identity, which owns most of the tree but is no super-user of the account) gets the rest done
 * and the failures counted and named, in the same shape as Gen1's path-by-path change.
 */
describe("adl fs acl -R on abfss:// locations", () => {
  const env = emulatorEnv();
  const adl = (args: string[], extra: Record<string, string> = {}) =>
    runAdl(args, { env: { ...env, ...extra } });
  const { connection } = sharedEmulator();
  const mi = connection.managedIdentity;
  const asIdentity = ["--managed-identity-client-id", mi.clientId];
  const identityEnv = { IDENTITY_ENDPOINT: mi.endpoint, IDENTITY_HEADER: mi.header };
  const reader = "11111111-2222-3333-4444-555555555555";
  const account = unique("g2acl");
  const root = `abfss://${unique("fs-")}@${account}`;
  const tree = `${root}/tree`;

  beforeAll(async () => {
    const rg = unique("rg-");
    expect((await adl(["group", "create", rg, "-l", "eastus2"])).code).toBe(0);
    const created = await adl(["storage-account", "create", account, "-g", rg, "-l", "eastus2"]);
    expect(created.code, created.stderr).toBe(0);
    expect((await adl(["fs", "mkdir", `${root}/`])).code).toBe(0);
    const local = tempDir();
    for (let d = 0; d < DIRS; d++) {
      mkdirSync(path.join(local, "tree", `d${d}`), { recursive: true });
      for (let f = 0; f < FILES; f++)
        writeFileSync(path.join(local, "tree", `d${d}`, `f${String(f).padStart(2, "0")}`), "x");
    }
    const put = await adl(["fs", "put", path.join(local, "tree"), tree]);
    expect(put.code, put.stderr).toBe(0);
  });

  it("changes a tree of a few hundred paths on the service, batch by batch", async () => {
    const run = await adl([
      "fs",
      "acl",
      "modify",
      "-R",
      `user:${reader}:r-x`,
      tree,
      "--batch-size",
      "50",
      "--json",
      "--debug",
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(json<Changed>(run)).toEqual({
      path: tree,
      count: TREE,
      directories: 1 + DIRS,
      files: DIRS * FILES,
      failed: 0,
      failures: [],
      spec: `user:${reader}:r-x`,
    });
    // One request per batch of 50, each after the first continuing the one before; no walk of the tree.
    const requests = run.stderr.split("\n").filter((l) => /\bPATCH \S+\/tree\?action=/.test(l));
    expect(requests).toHaveLength(Math.ceil(TREE / 50));
    expect(requests.slice(1).every((l) => l.includes("continuation="))).toBe(true);
    expect(run.stderr).not.toMatch(/GET \S+resource=filesystem/);
    const acl = await adl(["fs", "acl", "get", `${tree}/d9/f24`, "--json"]);
    expect(json<{ entries: string[] }>(acl).entries).toContain(`user:${reader}:r-x`);

    const human = await adl(["fs", "acl", "remove", "-R", `user:${reader}`, tree]);
    expect(human).toMatchObject({
      code: 0,
      stderr: `Removed ACL entries on ${TREE} path(s) under ${tree}.\n`,
    });
    const bare = await adl(["fs", "acl", "get", `${tree}/d9/f24`, "--json"]);
    expect(json<{ entries: string[] }>(bare).entries.join()).not.toContain(reader);
  });

  it("goes on past the paths the caller may not change, and counts and names them (exit 1)", async () => {
    // The managed identity owns the tree but for two paths, and may pass through the filesystem's root.
    expect((await adl(["fs", "chmod", "751", `${root}/`])).code).toBe(0);
    expect((await adl(["fs", "chown", "-R", mi.objectId, tree])).code).toBe(0);
    expect((await adl(["fs", "chown", connection.clientObjectId, `${tree}/d4`, `${tree}/d7/f05`])).code).toBe(
      0,
    );
    const run = await adl(
      [
        ...asIdentity,
        "fs",
        "acl",
        "modify",
        "-R",
        `user:${reader}:r--`,
        tree,
        "--batch-size",
        "40",
        "--json",
      ],
      identityEnv,
    );
    expect(run.code, run.stderr).toBe(1);
    const out = json<Changed>(run);
    expect(out).toMatchObject({ count: TREE - 2, directories: DIRS, files: DIRS * FILES - 1, failed: 2 });
    expect(out.failures.map((f) => f.path)).toEqual([`${tree}/d4`, `${tree}/d7/f05`]);
    expect(out.failures[0]?.message).toMatch(/not authorized/);
    // Those two keep their ACL; the rest has the entry.
    const kept = await adl(["fs", "acl", "get", `${tree}/d4`, "--json"]);
    expect(json<{ entries: string[] }>(kept).entries.join()).not.toContain(reader);
    const changed = await adl(["fs", "acl", "get", `${tree}/d4/f00`, "--json"]);
    expect(json<{ entries: string[] }>(changed).entries).toContain(`user:${reader}:r--`);

    const human = await adl(
      [...asIdentity, "fs", "acl", "set", "-R", "user::rwx,group::r-x,other::---", tree],
      identityEnv,
    );
    expect(human.code).toBe(1);
    expect(human.stderr).toMatch(
      new RegExp(
        `^Set the ACL on ${TREE - 2} path\\(s\\) under ${tree}; 2 could not be changed \\(${tree}/d4, ${tree}/d7/f05\\): .*not authorized`,
      ),
    );
  });

  it("answers Gen1's path-by-path change in the same shape, and refuses --batch-size where it means nothing", async () => {
    const dir = `adl://testacct/${unique("acl-r-")}`;
    expect((await adl(["fs", "mkdir", `${dir}/sub`])).code).toBe(0);
    expect((await adl(["fs", "put", "-", `${dir}/sub/f`])).code).toBe(0);
    const gen1 = await adl(["fs", "acl", "modify", "-R", `user:${reader}:r-x`, dir, "--json"]);
    expect(gen1.code, gen1.stderr).toBe(0);
    expect(json<Changed>(gen1)).toEqual({
      path: dir,
      count: 3,
      directories: 2,
      files: 1,
      failed: 0,
      failures: [],
      spec: `user:${reader}:r-x`,
    });
    const gen2 = json<Changed>(
      await adl(["fs", "acl", "modify", "-R", `user:${reader}:r-x`, tree, "--json"]),
    );
    expect(Object.keys(gen2)).toEqual(Object.keys(json<Changed>(gen1)));
    // On Gen1 too, a path the caller may not change is counted and named, and the rest is done.
    expect((await adl(["fs", "acl", "modify", `user:${mi.objectId}:--x`, "adl://testacct/"])).code).toBe(0);
    expect((await adl(["fs", "chmod", "-R", "755", dir])).code).toBe(0);
    expect((await adl(["fs", "chown", "-R", mi.objectId, dir])).code).toBe(0);
    expect((await adl(["fs", "chown", connection.clientObjectId, `${dir}/sub`])).code).toBe(0);
    const partly = await adl(
      [...asIdentity, "fs", "acl", "remove", "-R", `user:${reader}`, dir, "--json"],
      identityEnv,
    );
    expect(partly.code, partly.stderr).toBe(1);
    expect(json<Changed>(partly)).toMatchObject({ count: 2, directories: 1, files: 1, failed: 1 });
    expect(json<Changed>(partly).failures.map((f) => f.path)).toEqual([`${dir}/sub`]);

    const onGen1 = await adl(["fs", "acl", "modify", "-R", `user:${reader}:r-x`, dir, "--batch-size", "10"]);
    expect(onGen1.code).toBe(2);
    expect(onGen1.stderr).toMatch(/--batch-size is for Gen2 locations/);
    const notRecursive = await adl(["fs", "acl", "modify", `user:${reader}:r-x`, tree, "--batch-size", "10"]);
    expect(notRecursive.code).toBe(2);
    expect(notRecursive.stderr).toMatch(/--batch-size is for -R/);
    for (const bad of ["0", "2001", "ten"]) {
      const run = await adl(["fs", "acl", "modify", "-R", `user:${reader}:r-x`, tree, "--batch-size", bad]);
      expect(run.code, bad).toBe(2);
      expect(run.stderr).toMatch(/--batch-size/);
    }
  });
});
