import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { json, runAdl, tempDir } from "../helpers.js";
import { emulatorEnv, unique } from "./env.js";

interface Status {
  path: string;
  type: "FILE" | "DIRECTORY";
  length: number;
  permission: string;
  msExpirationTime?: number;
}

describe("adl fs against the emulator", () => {
  const env = emulatorEnv({ ADL_ACCOUNT: "testacct" });
  const adl = (args: string[], options: { input?: string | Buffer; cwd?: string } = {}) =>
    runAdl(args, { env, ...options });

  it("uploads and downloads files and trees in parallel chunks, and streams through stdin and stdout", async () => {
    const root = `/${unique("xfer-")}`;
    const local = tempDir();
    const big = randomBytes(3 * 1024 * 1024 + 123);
    writeFileSync(path.join(local, "big.bin"), big);
    mkdirSync(path.join(local, "tree", "sub"), { recursive: true });
    writeFileSync(path.join(local, "tree", "a.txt"), "alpha\n");
    writeFileSync(path.join(local, "tree", "sub", "b.txt"), "beta\n");

    expect((await adl(["fs", "mkdir", root])).code).toBe(0);
    // Into an existing directory the file keeps its name; 1 MiB chunks make it a multi-segment upload.
    const put = await adl([
      "fs",
      "put",
      path.join(local, "big.bin"),
      root,
      "--chunk-size",
      "1M",
      "--threads",
      "3",
      "--json",
    ]);
    expect(put.code).toBe(0);
    expect(put.stderr).toBe(""); // no progress bar when stderr is not a terminal
    expect(json(put)).toMatchObject({
      kind: "file",
      destination: `${root}/big.bin`,
      bytes: big.length,
      files: 1,
    });

    const again = await adl(["fs", "put", path.join(local, "big.bin"), `${root}/big.bin`]);
    expect(again.code).toBe(1); // it exists: a failure with a hint, not "not found"
    expect(again.stderr).toMatch(/overwrite/i);
    expect(
      (
        await adl([
          "fs",
          "put",
          path.join(local, "big.bin"),
          `${root}/big.bin`,
          "--overwrite",
          "--chunk-size",
          "1M",
        ])
      ).code,
    ).toBe(0);

    const tree = await adl(["fs", "put", path.join(local, "tree"), `${root}/tree`, "--json"]);
    expect(tree.code).toBe(0);
    expect(json(tree)).toMatchObject({ kind: "tree", files: 2, bytes: 11, skippedFiles: 0 });
    // As after an interrupted run: one file missing. The same command with --resume goes on in the same
    // directory (not into tree/tree), leaves the finished file alone and sends the missing one.
    expect((await adl(["fs", "rm", `${root}/tree/sub/b.txt`])).code).toBe(0);
    const resumed = await adl(["fs", "put", path.join(local, "tree"), `${root}/tree`, "--resume", "--json"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(json(resumed)).toMatchObject({
      kind: "tree",
      destination: `${root}/tree`,
      files: 2,
      skippedFiles: 1,
    });
    expect((await adl(["fs", "cat", `${root}/tree/sub/b.txt`])).stdout).toBe("beta\n");

    const got = await adl([
      "fs",
      "get",
      `${root}/big.bin`,
      path.join(local, "copy.bin"),
      "--chunk-size",
      "1M",
      "--json",
    ]);
    expect(got.code).toBe(0);
    expect(readFileSync(path.join(local, "copy.bin")).equals(big)).toBe(true);

    const gotTree = await adl(["fs", "get", `${root}/tree`, path.join(local, "tree-copy")]);
    expect(gotTree.code).toBe(0);
    expect(gotTree.stdout).toBe(""); // one line on stderr; the summary is for -v
    expect(gotTree.stderr).toMatch(/^Downloaded 11 B to .*tree-copy\.\n$/);
    expect(readFileSync(path.join(local, "tree-copy", "sub", "b.txt"), "utf8")).toBe("beta\n");
    rmSync(path.join(local, "tree-copy", "a.txt"));
    const regot = await adl(["fs", "get", `${root}/tree`, path.join(local, "tree-copy"), "--resume", "-v"]);
    expect(regot.code, regot.stderr).toBe(0);
    expect(regot.stdout).toMatch(/skipped files: +1/);
    expect(readFileSync(path.join(local, "tree-copy", "a.txt"), "utf8")).toBe("alpha\n");

    // Without a local name, `get` writes into the working directory under the remote name.
    expect((await adl(["fs", "get", `${root}/tree/a.txt`], { cwd: local })).code).toBe(0);
    expect(readFileSync(path.join(local, "a.txt"), "utf8")).toBe("alpha\n");

    const piped = await adl(["fs", "put", "-", `${root}/stdin.bin`], { input: big });
    expect(piped.code).toBe(0);
    const cat = await adl(["fs", "cat", `${root}/stdin.bin`]);
    expect(cat.code).toBe(0);
    expect(cat.stdoutBytes.equals(big)).toBe(true);
    const toStdout = await adl(["fs", "get", `${root}/tree/sub/b.txt`, "-"]);
    expect(toStdout).toMatchObject({ code: 0, stdout: "beta\n", stderr: "" });
    expect((await adl(["fs", "get", `${root}/tree/sub/b.txt`, "-", "--json"])).code).toBe(2);
    expect((await adl(["fs", "put", path.join(local, "nope.bin"), root])).code).toBe(3);
  });

  it("lists, inspects and tests paths", async () => {
    const root = `/${unique("ls-")}`;
    expect((await adl(["fs", "mkdir", `${root}/d1`, `${root}/d2`])).code).toBe(0);
    expect((await adl(["fs", "put", "-", `${root}/d1/f.txt`], { input: "0123456789" })).code).toBe(0);

    const ls = await adl(["fs", "ls", root, "--json"]);
    expect(json<Status[]>(ls).map((s) => [s.path, s.type])).toEqual([
      [`${root}/d1`, "DIRECTORY"],
      [`${root}/d2`, "DIRECTORY"],
    ]);
    const recursive = await adl(["fs", "ls", "-R", root, "--json"]);
    expect(json<Status[]>(recursive).map((s) => s.path)).toEqual([
      `${root}/d1`,
      `${root}/d1/f.txt`,
      `${root}/d2`,
    ]);
    const table = await adl(["fs", "ls", `${root}/d1`]);
    expect(table.stdout).toMatch(
      /^PERMISSION +OWNER +GROUP +SIZE +MODIFIED \(UTC\) +PATH\n-[-rwx]{9} +[0-9a-f-]{36} +[0-9a-f-]{36} +10 +\d{4}-\d\d-\d\d \d\d:\d\d +\S+\/d1\/f\.txt\n$/,
    );

    expect(json<Status>(await adl(["fs", "stat", `${root}/d1/f.txt`, "--json"]))).toMatchObject({
      type: "FILE",
      length: 10,
    });
    const head = await adl(["fs", "head", "-c", "3", `${root}/d1/f.txt`]);
    expect(head).toMatchObject({ code: 0, stdout: "012" });
    expect((await adl(["fs", "tail", "-c", "4", `${root}/d1/f.txt`])).stdout).toBe("6789");

    const du = await adl(["fs", "du", root, "--json"]);
    expect(json(du)).toEqual([
      { path: `${root}/d1`, type: "DIRECTORY", length: 10, fileCount: 1, directoryCount: expect.any(Number) },
      { path: `${root}/d2`, type: "DIRECTORY", length: 0, fileCount: 0, directoryCount: expect.any(Number) },
    ]);
    expect(json<Array<{ length: number }>>(await adl(["fs", "du", "-s", root, "--json"]))[0]!.length).toBe(
      10,
    );

    const cases: Array<[string[], number]> = [
      [["-e", root], 0],
      [["-d", root], 0],
      [["-f", root], 1],
      [["-f", `${root}/d1/f.txt`], 0],
      [["-z", `${root}/d1/f.txt`], 1],
      [["-e", `${root}/missing`], 1],
    ];
    for (const [args, code] of cases) {
      const run = await adl(["fs", "test", ...args]);
      expect({ args, code: run.code, stdout: run.stdout }).toEqual({ args, code, stdout: "" });
    }
    expect(json(await adl(["fs", "test", "-d", root, "--json"]))).toEqual({
      path: root,
      test: "directory",
      result: true,
    });
    expect((await adl(["fs", "test", "-d", "-f", root])).code).toBe(2);
  });

  it("moves, joins, touches, deletes, and sets permissions, owners, expiry and ACLs", async () => {
    const root = `/${unique("ns-")}`;
    expect((await adl(["fs", "mkdir", root])).code).toBe(0);
    expect((await adl(["fs", "put", "-", `${root}/p1`], { input: "one\n" })).code).toBe(0);
    expect((await adl(["fs", "put", "-", `${root}/p2`], { input: "two\n" })).code).toBe(0);

    const joined = await adl(["fs", "concat", `${root}/all`, `${root}/p1`, `${root}/p2`, "--json"]);
    expect(json(joined)).toMatchObject({ destination: `${root}/all`, length: 8 });
    expect((await adl(["fs", "cat", `${root}/all`])).stdout).toBe("one\ntwo\n");

    expect((await adl(["fs", "mv", `${root}/all`, `${root}/final`])).code).toBe(0);
    expect((await adl(["fs", "test", "-e", `${root}/all`])).code).toBe(1);
    expect((await adl(["fs", "mv", `${root}/nothing`, `${root}/x`])).code).toBe(3);

    const touched = await adl(["fs", "touch", `${root}/empty`, `${root}/final`, "--json"]);
    expect(json(touched)).toEqual({ created: [`${root}/empty`], touched: [`${root}/final`] });
    expect((await adl(["fs", "test", "-z", `${root}/empty`])).code).toBe(0);

    expect((await adl(["fs", "chmod", "-R", "750", root])).code).toBe(0);
    expect(json<Status>(await adl(["fs", "stat", `${root}/final`, "--json"])).permission).toBe("750");
    expect((await adl(["fs", "chmod", "999", root])).code).toBe(2);
    const group = "22222222-2222-2222-2222-222222222222";
    expect((await adl(["fs", "chown", `:${group}`, `${root}/final`])).code).toBe(0);
    expect(json<{ group: string }>(await adl(["fs", "acl", "get", `${root}/final`, "--json"])).group).toBe(
      group,
    );

    const expiry = await adl([
      "fs",
      "expiry",
      "set",
      `${root}/final`,
      "--at",
      "2099-01-31T00:00:00Z",
      "--json",
    ]);
    expect(json(expiry)).toEqual({
      path: `${root}/final`,
      expiresAt: "2099-01-31T00:00:00.000Z",
      deleted: false,
    });
    expect(json<Status>(await adl(["fs", "stat", `${root}/final`, "--json"])).msExpirationTime).toBe(
      Date.UTC(2099, 0, 31),
    );
    expect((await adl(["fs", "expiry", "remove", `${root}/final`])).code).toBe(0);
    expect(json<Status>(await adl(["fs", "stat", `${root}/final`, "--json"])).msExpirationTime ?? 0).toBe(0);
    expect((await adl(["fs", "expiry", "set", `${root}/final`])).code).toBe(2);

    const user = "11111111-1111-1111-1111-111111111111";
    expect(
      (await adl(["fs", "acl", "modify", "-R", `user:${user}:r-x,default:user:${user}:r-x`, root])).code,
    ).toBe(0);
    const dirAcl = json<{ entries: string[] }>(await adl(["fs", "acl", "get", root, "--json"]));
    expect(dirAcl.entries).toEqual(expect.arrayContaining([`user:${user}:r-x`, `default:user:${user}:r-x`]));
    const fileAcl = json<{ entries: string[] }>(await adl(["fs", "acl", "get", `${root}/final`, "--json"]));
    expect(fileAcl.entries).toContain(`user:${user}:r-x`);
    expect(fileAcl.entries.some((e) => e.startsWith("default:"))).toBe(false);

    expect((await adl(["fs", "acl", "remove-default", "-R", root])).code).toBe(0);
    expect(
      json<{ entries: string[] }>(await adl(["fs", "acl", "get", root, "--json"])).entries.some((e) =>
        e.startsWith("default:"),
      ),
    ).toBe(false);
    expect((await adl(["fs", "acl", "remove", `user:${user}`, `${root}/final`])).code).toBe(0);
    expect(
      json<{ entries: string[] }>(await adl(["fs", "acl", "get", `${root}/final`, "--json"])).entries,
    ).not.toContain(`user:${user}:r-x`);
    expect((await adl(["fs", "acl", "set", "user::rwx,group::r-x,other::---", `${root}/final`])).code).toBe(
      0,
    );
    expect((await adl(["fs", "acl", "remove-all", "-R", root])).code).toBe(0);
    expect(
      json<{ entries: string[] }>(await adl(["fs", "acl", "get", root, "--json"])).entries.some((e) =>
        e.includes(user),
      ),
    ).toBe(false);
    expect((await adl(["fs", "acl", "set", "everyone:rwx", root])).code).toBe(2);

    const notEmpty = await adl(["fs", "rm", root]);
    expect(notEmpty.code).toBe(1);
    expect(notEmpty.stderr).toMatch(/not empty.*Pass -r/);
    expect((await adl(["fs", "rm", `${root}/missing`])).code).toBe(3);
    expect((await adl(["fs", "rm", "-f", `${root}/missing`])).code).toBe(0);
    expect(json(await adl(["fs", "rm", "-r", root, "--json"]))).toEqual({ deleted: [root], missing: [] });
    expect((await adl(["fs", "stat", root])).code).toBe(3);
  });
});
