import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { sharedEmulator } from "@adlkit/testkit";
import { beforeAll, describe, expect, it } from "vitest";
import { json, runAdl, tempDir } from "../helpers.js";
import { emulatorEnv, unique } from "./env.js";

interface Status {
  path: string;
  type: "FILE" | "DIRECTORY";
  length: number;
  permission: string;
  owner: string;
  group: string;
}
interface AclStatus {
  path: string;
  owner: string;
  group: string;
  permission: string;
  stickyBit: boolean;
  entries: string[];
}

/**
 * Every `fs` command on Gen2 locations (abfss://FS@ACCOUNT/path) through the spawned `adl`, in a storage account
 * made with `adl storage-account create`; Gen1 locations (adl://ACCOUNT/path) beside them, and the refusals where
 * the protocols differ.
 */
describe("adl fs on abfss:// and adl:// locations against the emulator", () => {
  // No default account: every location names its own.
  const env = emulatorEnv();
  const adl = (args: string[], options: { input?: string | Buffer; cwd?: string } = {}) =>
    runAdl(args, { env, ...options });
  const account = unique("g2cli");
  const fsName = unique("fs-");
  const root = `abfss://${fsName}@${account}`;

  beforeAll(async () => {
    const rg = unique("rg-");
    expect((await adl(["group", "create", rg, "-l", "eastus2"])).code).toBe(0);
    const created = await adl(["storage-account", "create", account, "-g", rg, "-l", "eastus2"]);
    expect(created.code, created.stderr).toBe(0);
  });

  it("creates the filesystem with mkdir, and says what to do while it is missing", async () => {
    const missing = await adl(["fs", "ls", `${root}/`, "--json"]);
    expect(missing.code).toBe(3);
    expect(json<{ error: { code: string; hint: string } }>(missing).error).toMatchObject({
      code: "FILESYSTEM_NOT_FOUND",
      hint: expect.stringContaining(`adl fs mkdir ${root}/`),
    });
    const deep = await adl(["fs", "mkdir", `${root}/a/b`]);
    expect(deep.code).toBe(3);
    expect(deep.stderr).toMatch(`filesystem ${root}/ does not exist`);

    const made = await adl(["fs", "mkdir", `${root}/`, "--json"]);
    expect(made.code, made.stderr).toBe(0);
    expect(json(made)).toEqual({ created: [`${root}/`], existing: [] });
    const again = await adl(["fs", "mkdir", `${root}/`]);
    expect(again).toMatchObject({ code: 0, stderr: `${root}/ already exists.\n` });
    // Nor does a missing storage account pass for an empty one.
    const noAccount = await adl(["fs", "ls", `abfss://${fsName}@${unique("nosuch")}/`]);
    expect(noAccount.code).toBe(3);
    expect(noAccount.stderr).toMatch(/does not exist: no storage account nosuch\w+, or no such filesystem/);
  });

  it("moves files up and down, reads them, lists, stats and tests them", async () => {
    await adl(["fs", "mkdir", `${root}/`]);
    const local = tempDir();
    const big = randomBytes(2 * 1024 * 1024 + 77);
    writeFileSync(path.join(local, "big.bin"), big);
    mkdirSync(path.join(local, "tree", "sub"), { recursive: true });
    writeFileSync(path.join(local, "tree", "a.txt"), "alpha\n");
    writeFileSync(path.join(local, "tree", "sub", "b.txt"), "beta\n");

    expect((await adl(["fs", "mkdir", "-m", "750", `${root}/data`])).code).toBe(0);
    const put = await adl([
      "fs",
      "put",
      path.join(local, "big.bin"),
      `${root}/data`,
      "--chunk-size",
      "1M",
      "--json",
    ]);
    expect(put.code, put.stderr).toBe(0);
    expect(json(put)).toMatchObject({ kind: "file", destination: `${root}/data/big.bin`, bytes: big.length });
    const exists = await adl(["fs", "put", path.join(local, "big.bin"), `${root}/data/big.bin`]);
    expect(exists.code).toBe(1);
    expect(exists.stderr).toMatch(/already exists.*--overwrite/);
    const tree = await adl(["fs", "put", path.join(local, "tree"), `${root}/data/tree`, "--json"]);
    expect(json(tree)).toMatchObject({ kind: "tree", files: 2, bytes: 11 });
    expect((await adl(["fs", "put", "-", `${root}/data/stdin.txt`], { input: "from stdin\n" })).code).toBe(0);

    const got = await adl([
      "fs",
      "get",
      `${root}/data/big.bin`,
      path.join(local, "copy.bin"),
      "--chunk-size",
      "1M",
    ]);
    expect(got.code, got.stderr).toBe(0);
    expect(readFileSync(path.join(local, "copy.bin")).equals(big)).toBe(true);
    expect((await adl(["fs", "get", `${root}/data/tree`, path.join(local, "tree-copy")])).code).toBe(0);
    expect(readFileSync(path.join(local, "tree-copy", "sub", "b.txt"), "utf8")).toBe("beta\n");
    expect(await adl(["fs", "get", `${root}/data/stdin.txt`, "-"])).toMatchObject({
      code: 0,
      stdout: "from stdin\n",
    });

    const cat = await adl(["fs", "cat", `${root}/data/tree/a.txt`, `${root}/data/stdin.txt`]);
    expect(cat.stdout).toBe("alpha\nfrom stdin\n");
    expect((await adl(["fs", "head", "-c", "4", `${root}/data/stdin.txt`])).stdout).toBe("from");
    expect((await adl(["fs", "tail", "-c", "6", `${root}/data/stdin.txt`])).stdout).toBe("stdin\n");
    const catDir = await adl(["fs", "cat", `${root}/data/tree`]);
    expect(catDir.code).toBe(1);
    expect(catDir.stderr).toMatch(/is a directory/);

    const listed = json<Status[]>(await adl(["fs", "ls", `${root}/data`, "--json"]));
    expect(listed.map((s) => [s.path, s.type])).toEqual([
      ["/data/big.bin", "FILE"],
      ["/data/stdin.txt", "FILE"],
      ["/data/tree", "DIRECTORY"],
    ]);
    const walked = json<Status[]>(await adl(["fs", "ls", "-R", `${root}/data/tree`, "--json"]));
    expect(walked.map((s) => s.path)).toEqual(["/data/tree/a.txt", "/data/tree/sub", "/data/tree/sub/b.txt"]);
    const stat = json<Status>(await adl(["fs", "stat", `${root}/data`, "--json"]));
    expect(stat).toMatchObject({ type: "DIRECTORY", permission: "750" });
    expect((await adl(["fs", "test", "-d", `${root}/data`])).code).toBe(0);
    expect((await adl(["fs", "test", "-f", `${root}/data`])).code).toBe(1);
    expect((await adl(["fs", "test", "-e", `${root}/data/nothing`])).code).toBe(1);
    const gone = await adl(["fs", "stat", `${root}/data/nothing`]);
    expect(gone.code).toBe(3);
    expect(gone.stderr).toMatch(`${root}/data/nothing does not exist`);

    // du: Gen2 has no content summary; the totals come from a recursive listing.
    const du = json<Array<{ path: string; length: number; fileCount: number }>>(
      await adl(["fs", "du", "-s", `${root}/data`, "--json"]),
    );
    expect(du).toEqual([
      expect.objectContaining({ path: "/data", length: big.length + 11 + 11, fileCount: 4 }),
    ]);

    // The full host form names the same filesystem.
    const { connection } = sharedEmulator();
    const full = `abfss://${fsName}@${account}.dfs.${connection.storageEndpointSuffix}/data/stdin.txt`;
    expect((await adl(["fs", "cat", full])).stdout).toBe("from stdin\n");
  });

  it("renames, deletes and touches, and refuses what only Gen1 does", async () => {
    await adl(["fs", "mkdir", `${root}/`]);
    const dir = `${root}/ns`;
    expect((await adl(["fs", "mkdir", `${dir}/sub`])).code).toBe(0);
    const touched = await adl(["fs", "touch", `${dir}/one`, `${dir}/two`, "--json"]);
    expect(json(touched)).toEqual({ created: [`${dir}/one`, `${dir}/two`], touched: [] });
    const retouch = await adl(["fs", "touch", `${dir}/one`]);
    expect(retouch.code).toBe(1);
    expect(retouch.stderr).toMatch(
      /`adl fs touch` works on Data Lake Store Gen1 only.*\[UNSUPPORTED_PROTOCOL\]/,
    );

    expect((await adl(["fs", "mv", `${dir}/one`, `${dir}/renamed`])).code).toBe(0);
    expect((await adl(["fs", "mv", `${dir}/two`, `${dir}/renamed`])).code).toBe(1);
    expect((await adl(["fs", "mv", "-f", `${dir}/two`, `${dir}/renamed`])).code).toBe(0);
    expect((await adl(["fs", "mv", `${dir}/renamed`, `${dir}/sub`])).code).toBe(0);
    expect((await adl(["fs", "test", "-f", `${dir}/sub/renamed`])).code).toBe(0);

    for (const other of [`adl://testacct/x`, `abfss://${unique("fs-")}@${account}/x`]) {
      const across = await adl(["fs", "mv", `${dir}/sub/renamed`, other]);
      expect(across.code).toBe(1);
      expect(across.stderr).toMatch(/renames within one account and filesystem.*\[CROSS_LOCATION_MOVE\]/);
      expect(across.stderr).toMatch(`Hint: Copy it with \`adl fs cp ${dir}/sub/renamed ${other}\``);
    }

    const concat = await adl(["fs", "concat", `${dir}/all`, `${dir}/sub/renamed`]);
    expect(concat.code).toBe(1);
    expect(concat.stderr).toMatch(
      /has no concatenation \(MSCONCAT\) \[UNSUPPORTED_PROTOCOL\] Hint: .*adl fs put -/,
    );
    for (const args of [
      ["fs", "expiry", "set", `${dir}/sub/renamed`, "--in", "1d"],
      ["fs", "expiry", "remove", `${dir}/sub/renamed`],
    ]) {
      const expiry = await adl([...args, "--json"]);
      expect(expiry.code).toBe(1);
      expect(json<{ error: { code: string } }>(expiry).error.code).toBe("UNSUPPORTED_PROTOCOL");
    }
    expect((await adl(["fs", "test", "-e", `${dir}/sub/renamed`])).code).toBe(0);

    const notEmpty = await adl(["fs", "rm", `${dir}/sub`]);
    expect(notEmpty.code).toBe(1);
    expect(notEmpty.stderr).toMatch(/not empty.*-r/);
    expect((await adl(["fs", "rm", "-r", `${dir}/sub`])).code).toBe(0);
    expect((await adl(["fs", "rm", `${dir}/sub`])).code).toBe(3);
    expect(json(await adl(["fs", "rm", "-f", `${dir}/sub`, "--json"]))).toEqual({
      deleted: [],
      missing: [`${dir}/sub`],
    });
  });

  it("sets permissions, owners and ACLs, and shows an ACL in the same shape as Gen1's", async () => {
    await adl(["fs", "mkdir", `${root}/`]);
    const dir = `${root}/acl`;
    const { connection } = sharedEmulator();
    const me = connection.clientObjectId;
    const other = "11111111-2222-3333-4444-555555555555";
    expect((await adl(["fs", "mkdir", `${dir}/sub`])).code).toBe(0);
    expect((await adl(["fs", "put", "-", `${dir}/sub/f`], { input: "x" })).code).toBe(0);

    expect((await adl(["fs", "chmod", "-R", "750", dir])).code).toBe(0);
    expect(json<Status>(await adl(["fs", "stat", `${dir}/sub/f`, "--json"])).permission).toBe("750");
    const symbolic = await adl(["fs", "chmod", "g-x,o+r", `${dir}/sub`, "--json"]);
    expect(json(symbolic)).toMatchObject({ permission: "744", count: 1 });
    expect((await adl(["fs", "chown", `${me}:${me}`, dir])).code).toBe(0);

    expect(
      (await adl(["fs", "acl", "set", `user::rwx,group::r-x,other::---,user:${other}:r-x`, dir])).code,
    ).toBe(0);
    expect((await adl(["fs", "acl", "modify", "-R", `default:user:${other}:rwx`, dir])).code).toBe(0);
    const acl = json<AclStatus>(await adl(["fs", "acl", "get", dir, "--json"]));
    expect(acl).toMatchObject({ path: dir, owner: me, group: me, stickyBit: false });
    expect(acl.entries).toEqual(expect.arrayContaining([`user:${other}:r-x`, `default:user:${other}:rwx`]));
    expect(json<AclStatus>(await adl(["fs", "acl", "get", `${dir}/sub/f`, "--json"])).entries).not.toContain(
      `default:user:${other}:rwx`,
    );
    expect((await adl(["fs", "acl", "remove", `user:${other}`, dir])).code).toBe(0);
    expect((await adl(["fs", "acl", "remove-default", "-R", dir])).code).toBe(0);
    expect((await adl(["fs", "acl", "remove-all", dir])).code).toBe(0);
    const bare = json<AclStatus>(await adl(["fs", "acl", "get", dir, "--json"]));
    expect(bare.entries.filter((e) => e.includes(other))).toEqual([]);

    // Gen1, through its URI: the same fields, in the same order.
    expect((await adl(["fs", "mkdir", "adl://testacct/gen2-cli-acl"])).code).toBe(0);
    const gen1 = json<AclStatus>(await adl(["fs", "acl", "get", "adl://testacct/gen2-cli-acl", "--json"]));
    expect(Object.keys(gen1)).toEqual(Object.keys(bare));
    expect(Object.keys(bare)).toEqual(["path", "owner", "group", "permission", "stickyBit", "entries"]);
    const human = await adl(["fs", "acl", "get", dir]);
    expect(human.stdout).toMatch(new RegExp(`^path: +${dir}\\nowner: +${me}\\n`));
  });

  it("takes Gen1 locations as adl:// URIs, with --emulator DIR, beside -a ACCOUNT paths", async () => {
    const { connectionFile } = sharedEmulator();
    const { ADL_EMULATOR: _unused, ...bare } = env;
    const dir = `/${unique("gen1-uri-")}`;
    const flag = ["--emulator", path.dirname(connectionFile)];
    const made = await runAdl(["fs", "mkdir", `adl://testacct${dir}`, ...flag], { env: bare });
    expect(made.code, made.stderr).toBe(0);
    expect(
      (
        await runAdl(["fs", "put", "-", `adl://testacct${dir}/f.txt`, ...flag], {
          env: bare,
          input: "gen1\n",
        })
      ).code,
    ).toBe(0);
    expect(
      (await runAdl(["fs", "cat", `${dir}/f.txt`, "-a", "testacct", ...flag], { env: bare })).stdout,
    ).toBe("gen1\n");
    const listed = json<Status[]>(
      await runAdl(["fs", "ls", `adl://testacct${dir}`, "--json", ...flag], { env: bare }),
    );
    expect(listed.map((s) => s.path)).toEqual([`${dir}/f.txt`]);
    // Gen2 with the flag too.
    expect((await runAdl(["fs", "ls", `${root}/`, ...flag], { env: bare })).code).toBe(0);
  });

  it("refuses a malformed location before any request, naming the forms", async () => {
    const cases: Array<[string, RegExp]> = [
      [`abfss://Bad_FS@${account}/x`, /'Bad_FS' is not a filesystem name/],
      [`abfss://${account}/x`, /names no filesystem/],
      [`abfs://${fsName}@${account}/x`, /abfs:\/\/ is plain HTTP; use abfss:\/\/ \(TLS\)/],
      [
        `abfss://${fsName}@${account}.dfs.core.windows.net/x`,
        /the host must be ACCOUNT or ACCOUNT\.dfs\.localhost/,
      ],
      ["adl://lake1@x/y", /a Gen1 location has no filesystem/],
    ];
    for (const [uri, reason] of cases) {
      const run = await adl(["fs", "ls", uri]);
      expect(run.code, uri).toBe(2);
      expect(run.stderr).toMatch(
        new RegExp(`^adl: location ${uri.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: `),
      );
      expect(run.stderr).toMatch(reason);
      expect(run.stderr).toMatch(
        /Hint: Write adl:\/\/ACCOUNT\/path \(Gen1\) or abfss:\/\/FILESYSTEM@ACCOUNT\/path \(Gen2\)/,
      );
    }
    const other = await adl(["fs", "ls", `https://${account}.dfs.core.windows.net/${fsName}/x`]);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(
      /is not a location adl reads: write adl:\/\/ACCOUNT\/path \(Gen1\), abfss:\/\/FILESYSTEM@ACCOUNT\/path \(Gen2\)/,
    );
    const noAccount = await adl(["fs", "ls", "/"]);
    expect(noAccount.code).toBe(1);
    expect(noAccount.stderr).toMatch(/no Data Lake account.*abfss:\/\/FILESYSTEM@ACCOUNT\/path/);
  });
});
