import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  AbortError,
  type CopyItem,
  copy,
  type FileSystemClient,
  type FsClient,
  type Gen2FsClient,
  InvalidArgumentError,
  SourceChangedError,
} from "../src/index.js";
import { type Gen2Context, setupGen2 } from "./gen2-helpers.js";
import { bytes, setup, type TestContext } from "./helpers.js";

const MiB = 1024 * 1024;
const here = path.dirname(fileURLToPath(import.meta.url));
const USER = "470c0ccf-c91a-4597-98cd-48507d2f1486";
const GROUP = "9a7d3e21-5b6c-4d8e-8f90-1a2b3c4d5e6f";
const OWNER = "1f3c5e7a-2b4d-4c6e-8a0b-c2d4e6f80a1b";
const small = { chunkSize: MiB, blockSize: 256 * 1024, concurrency: 4 };

let g1: TestContext;
let gen1: FsClient;
let g2: Gen2Context;
let gen2: Gen2FsClient;
let local: string;

beforeAll(async () => {
  g1 = setup("copy");
  gen1 = g1.client;
  g2 = await setupGen2("copy");
  gen2 = g2.client;
  local = await mkdtemp(path.join(tmpdir(), "adlkit-copy-"));
});
afterAll(async () => {
  await gen1?.close();
  await gen2?.close();
  if (local) await rm(local, { recursive: true, force: true });
});

const sha = (data: Buffer) => createHash("sha256").update(data).digest("hex");
const state = (name: string) => path.join(local, "state", `${name}.jsonl`);

/** Every entry below a root as relative path -> type, bytes' SHA-256 and access control. */
async function snapshot(fs: FileSystemClient, root: string) {
  const out: Record<string, unknown> = {};
  for await (const entry of fs.walk(root)) {
    const rel = entry.path.slice(root.length + 1);
    const acl = await fs.getAclStatus(entry.path);
    out[rel] = {
      type: entry.type,
      sha256: entry.type === "FILE" ? sha(await fs.cat(entry.path)) : undefined,
      entries: [...acl.entries].sort(),
      owner: acl.owner,
      group: acl.group,
      permission: acl.permission,
      stickyBit: acl.stickyBit,
    };
  }
  return out;
}

/** A Gen1 tree with a multi-range file, an empty file, an empty directory, named and default ACLs, sticky. */
async function gen1Tree(root: string): Promise<void> {
  await gen1.mkdir(`${root}/sub/deeper`);
  await gen1.mkdir(`${root}/empty-dir`);
  const big = bytes(3 * MiB + 777, 7);
  await gen1.put(await localFile("big.bin", big), `${root}/big.bin`, { overwrite: true });
  await gen1.writeFile(`${root}/sub/note.txt`, "hello migration");
  await gen1.writeFile(`${root}/sub/deeper/empty.bin`, "");
  await gen1.setAcl(`${root}/sub`, [
    "user::rwx",
    `user:${USER}:r-x`,
    "group::r-x",
    "mask::r-x",
    "other::---",
    "default:user::rwx",
    `default:user:${USER}:rwx`,
    "default:group::r-x",
    "default:mask::rwx",
    "default:other::---",
  ]);
  await gen1.setPermission(`${root}/sub/deeper`, "1770");
  await gen1.setAcl(`${root}/sub/note.txt`, `user::rw-,user:${USER}:rw-,group::r--,mask::rw-,other::---`);
  await gen1.setOwner(`${root}/sub/note.txt`, { owner: OWNER, group: GROUP });
  await gen1.setPermission(`${root}/big.bin`, "640");
}

async function localFile(name: string, data: Buffer): Promise<string> {
  const file = path.join(local, "src-files", name);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, data);
  return file;
}

describe("copy", () => {
  it("migrates a Gen1 tree to Gen2 with bytes, ACLs, owners and permissions (sticky too) identical", async () => {
    const root = `${g1.root}/tree`;
    await gen1Tree(root);
    const items: CopyItem[] = [];
    const report = await copy(
      { client: gen1, path: root },
      { client: gen2, path: "/migrated" },
      { recursive: true, ...small, stateFile: state("g1g2"), onItem: (i) => items.push(i) },
    );
    expect(report).toMatchObject({
      files: 3,
      directories: 4,
      failed: 0,
      skipped: 0,
      bytes: 3 * MiB + 777 + 15,
    });
    expect(report.preserve).toEqual(["acl", "owner", "permissions"]);
    expect(report.acls).toEqual({ carried: 7, notCarried: 0 });
    expect(report.stateFile).toBeUndefined();
    await expect(stat(state("g1g2"))).rejects.toThrow(); // removed after a copy with nothing failed
    const big = items.find((i) => i.path === "big.bin");
    expect(big?.sha256).toHaveLength(4); // four ranges of 1 MiB, each verified on its own
    expect(await snapshot(gen2, "/migrated")).toEqual(await snapshot(gen1, root));
    const names: string[] = [];
    for await (const e of gen2.walk("/migrated")) names.push(e.path);
    expect(names.some((n) => n.includes(".adlkit-copy."))).toBe(false);
  });

  it("copies local -> Gen2 -> local and Gen2 -> Gen1, byte for byte", async () => {
    const tree = path.join(local, "up");
    const files: Record<string, Buffer> = {
      "a.bin": bytes(2 * MiB + 5, 3),
      "d/b.txt": Buffer.from("bee"),
      "d/e/zero": Buffer.alloc(0),
    };
    for (const [rel, data] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(tree, rel)), { recursive: true });
      await writeFile(path.join(tree, rel), data);
    }
    // A symbolic link is not followed: reported, not silently left out (and the rest is copied).
    await symlink(path.join(tree, "a.bin"), path.join(tree, "link.bin"));
    const linked = await copy(
      tree,
      { client: gen2, path: "/linked" },
      { recursive: true, stateFile: state("link") },
    );
    expect(linked).toMatchObject({
      files: 3,
      failed: 1,
      failures: [{ path: "link.bin", code: "NOT_A_FILE" }],
    });
    await rm(path.join(tree, "link.bin"));
    const up = await copy(
      tree,
      { client: gen2, path: "/from-local" },
      { recursive: true, ...small, stateFile: state("l2") },
    );
    expect(up).toMatchObject({ files: 3, failed: 0, bytes: 2 * MiB + 8, preserve: [] });
    for (const [rel, data] of Object.entries(files))
      expect(sha(await gen2.cat(`/from-local/${rel}`))).toBe(sha(data));

    const back = path.join(local, "back");
    const down = await copy({ client: gen2, path: "/from-local" }, back, {
      recursive: true,
      ...small,
      stateFile: state("2l"),
    });
    expect(down).toMatchObject({ files: 3, failed: 0 });
    for (const [rel, data] of Object.entries(files))
      expect(sha(await readFile(path.join(back, rel)))).toBe(sha(data));
    expect((await readdir(path.join(back, "d"))).sort()).toEqual(["b.txt", "e"]); // nothing staged left over

    const toGen1 = `${g1.root}/from-gen2`;
    const report = await copy(
      { client: gen2, path: "/from-local" },
      { client: gen1, path: toGen1 },
      { recursive: true, ...small, preserve: ["permissions"], stateFile: state("2g1") },
    );
    expect(report).toMatchObject({ files: 3, failed: 0 });
    for (const [rel, data] of Object.entries(files))
      expect(sha(await gen1.cat(`${toGen1}/${rel}`))).toBe(sha(data));
    expect((await gen1.stat(`${toGen1}/a.bin`)).permission).toBe(
      (await gen2.stat("/from-local/a.bin")).permission,
    );

    // Gen2 to Gen2 (another filesystem's client would do the same) carries ACLs when asked.
    await gen2.setAcl("/from-local/d", `user::rwx,user:${USER}:r-x,group::r-x,mask::r-x,other::---`);
    const within = await copy(
      { client: gen2, path: "/from-local" },
      { client: gen2, path: "/within" },
      { recursive: true, ...small, preserve: ["acl", "permissions"], stateFile: state("g2g2") },
    );
    expect(within).toMatchObject({ files: 3, failed: 0, acls: { carried: 6, notCarried: 0 } });
    expect((await gen2.getAclStatus("/within/d")).entries).toEqual(
      (await gen2.getAclStatus("/from-local/d")).entries,
    );

    // A single file into an existing directory keeps its name; an existing file is not replaced without overwrite.
    const single = await copy({ client: gen2, path: "/from-local/a.bin" }, back, {
      ...small,
      stateFile: state("one"),
    });
    expect(single).toMatchObject({ files: 0, failed: 1, failures: [{ code: "PATH_EXISTS" }] });
    expect(single.stateFile).toBe(state("one")); // kept: something is unfinished
    const again = await copy({ client: gen2, path: "/from-local/a.bin" }, back, {
      ...small,
      overwrite: true,
      stateFile: state("one"),
    });
    expect(again).toMatchObject({ files: 1, failed: 0 });
  });

  it("reports a file changed at the source during its copy, publishing nothing for it", async () => {
    for (const [name, fs, destination] of [
      ["gen1", gen1 as FileSystemClient, path.join(local, "changed-from-gen1.bin")],
      ["gen2", gen2 as FileSystemClient, path.join(local, "changed-from-gen2.bin")],
    ] as const) {
      const source = name === "gen1" ? `${g1.root}/changing.bin` : "/changing.bin";
      await fs.writeFile(source, bytes(4 * MiB, 5), { overwrite: true });
      let change: Promise<void> | undefined;
      const report = await copy({ client: fs as FsClient, path: source }, destination, {
        chunkSize: MiB,
        blockSize: 64 * 1024,
        concurrency: 1,
        stateFile: state(`changed-${name}`),
        // As soon as bytes move, someone else rewrites the source (same length: only the version tells).
        onProgress: (p) => {
          if (p.bytesTransferred > 0) change ??= fs.writeFile(source, bytes(4 * MiB, 6), { overwrite: true });
        },
      });
      await change;
      expect(report).toMatchObject({ files: 0, failed: 1, failures: [{ code: "SOURCE_CHANGED" }] });
      expect(existsSync(destination)).toBe(false);
      expect((await readdir(local)).filter((n) => n.includes(".adlkit-copy."))).toEqual([]);
    }
    expect(new SourceChangedError("x", { path: "/x", expected: "1", actual: "2" }).code).toBe(
      "SOURCE_CHANGED",
    );
  });

  it("dry run: lists what would be copied and what cannot be carried (and why), copying nothing", async () => {
    const root = `${g1.root}/dry`;
    await gen1.writeFile(`${root}/f.txt`, "x");
    await gen1.setAcl(`${root}/f.txt`, `user::rw-,user:${USER}:r--,group::r--,mask::r--,other::---`);
    const items: CopyItem[] = [];
    const report = await copy(
      { client: gen1, path: root },
      { client: gen2, path: "/dry" },
      {
        recursive: true,
        dryRun: true,
        onItem: (i) => items.push(i),
      },
    );
    expect(report).toMatchObject({ dryRun: true, files: 1, directories: 1, bytes: 1, failed: 0 });
    expect(report.acls).toEqual({ carried: 2, notCarried: 0 });
    expect(items.map((i) => [i.path, i.outcome])).toEqual([
      ["f.txt", "planned"],
      ["", "planned"],
    ]);
    expect(await gen2.exists("/dry")).toBe(false);
    // A file in the way is what the copy would fail on: the dry run says so (into an existing directory the
    // tree keeps its name, as with cp).
    await gen2.writeFile("/dry-busy/dry/f.txt", "in the way");
    const busy = await copy(
      { client: gen1, path: root },
      { client: gen2, path: "/dry-busy" },
      {
        recursive: true,
        dryRun: true,
      },
    );
    expect(busy).toMatchObject({ files: 0, failed: 1, failures: [{ path: "f.txt", code: "PATH_EXISTS" }] });
    expect((await gen2.cat("/dry-busy/dry/f.txt")).toString()).toBe("in the way");

    // Written with Shared Key, a Gen2 file is owned by "$superuser", an identity Gen1 does not have.
    const keyed = g2.makeClient({
      credential: { accountName: g2.account, accountKey: await g2.accountKey() },
    });
    try {
      await keyed.writeFile("/keyed/k.txt", "k");
    } finally {
      await keyed.close();
    }
    const back = await copy(
      { client: gen2, path: "/keyed" },
      { client: gen1, path: `${g1.root}/keyed` },
      {
        recursive: true,
        dryRun: true,
        preserve: ["acl", "owner", "permissions"],
      },
    );
    expect(back.acls.notCarried).toBeGreaterThanOrEqual(2);
    expect(back.notCarried).toContainEqual({
      path: "k.txt",
      entry: "owner:$superuser",
      reason: expect.stringMatching(/Gen1 has no such identity/),
    });
    expect(await gen1.exists(`${g1.root}/keyed`)).toBe(false);
  });

  it("refuses bad input before anything is read or written", async () => {
    const src = { client: gen1, path: `${g1.root}/tree` };
    const dst = { client: gen2, path: "/bad" };
    const bad: Array<[unknown, string]> = [
      [{ concurrency: 0 }, "concurrency"],
      [{ concurrency: 1.5 }, "concurrency"],
      [{ chunkSize: 10 }, "chunkSize"],
      [{ blockSize: 8 * MiB }, "blockSize"],
      [{ preserve: ["acl", "xattrs"] }, "preserve"],
      [{ preserve: "all" }, "preserve"],
      [{ recursive: "yes" }, "recursive"],
      [{ stallTimeoutInMs: -1 }, "stallTimeoutInMs"],
      [{ stateFile: "" }, "stateFile"],
    ];
    for (const [options, argument] of bad) {
      const err = await copy(src, dst, options as never).catch((e: unknown) => e);
      expect(err, argument).toBeInstanceOf(InvalidArgumentError);
      expect((err as InvalidArgumentError).argument).toBe(argument);
    }
    const directory = await copy(src, dst).catch((e: unknown) => e);
    expect((directory as InvalidArgumentError).argument).toBe("recursive");
    const toLocal = await copy(src, local, { recursive: true, preserve: ["acl"] }).catch((e: unknown) => e);
    expect((toLocal as InvalidArgumentError).argument).toBe("preserve");
    const uri = await copy("adl://x/y", dst).catch((e: unknown) => e);
    expect((uri as InvalidArgumentError).argument).toBe("source");
    const noClient = await copy({ client: {} as FsClient, path: "/" }, dst).catch((e: unknown) => e);
    expect((noClient as InvalidArgumentError).argument).toBe("source");
    await expect(copy({ client: gen1, path: `${g1.root}/missing` }, dst)).rejects.toMatchObject({
      code: "PATH_NOT_FOUND",
    });
    expect(await gen2.exists("/bad")).toBe(false);
  });

  it("resumes a tree copy killed (SIGKILL) mid-way: finished files are skipped, the rest copied, all verified", async () => {
    const root = `${g1.root}/kill`;
    const count = 16;
    await Promise.all(
      Array.from({ length: count }, (_, i) =>
        gen1.writeFile(`${root}/d${i % 3}/f${i}.bin`, bytes(96 * 1024 + i, i + 1)),
      ),
    );
    await gen1.setPermission(`${root}/d1`, "1750");
    const stateFile = state("kill");
    const options = { recursive: true, concurrency: 1, blockSize: 16 * 1024, chunkSize: MiB, stateFile };
    const child = spawn(process.execPath, [path.join(here, "fixtures/copy-child.mjs")], {
      env: {
        ...process.env,
        ADLKIT_CHILD: JSON.stringify({
          connectionFile: inject("emulatorConnectionFile"),
          gen1Account: "testacct",
          gen2Account: g2.account,
          filesystem: g2.filesystem,
          source: root,
          destination: "/killed",
          options,
        }),
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let exited = false;
    child.on("exit", () => {
      exited = true;
    });
    // Killed once the state file records a few finished files: mid-tree, whatever the machine's speed.
    for (;;) {
      if (exited) throw new Error("the child finished before it could be killed");
      const text = existsSync(stateFile) ? readFileSync(stateFile, "utf8") : "";
      if ((text.match(/"st":"done"/g) ?? []).length >= 5) break;
      await sleep(10);
    }
    child.kill("SIGKILL");
    await new Promise((resolve) => (exited ? resolve(undefined) : child.on("exit", resolve)));
    const done = (readFileSync(stateFile, "utf8").match(/"st":"done"/g) ?? []).length;
    expect(done).toBeLessThan(count);

    const report = await copy(
      { client: gen1, path: root },
      { client: gen2, path: "/killed" },
      { ...options, concurrency: 4, resume: true },
    );
    expect(report).toMatchObject({ files: count, failed: 0 });
    expect(report.skipped).toBeGreaterThanOrEqual(done);
    expect(report.skipped).toBeLessThan(count);
    expect(await snapshot(gen2, "/killed")).toEqual(await snapshot(gen1, root));
    const names: string[] = [];
    for await (const e of gen2.walk("/killed")) names.push(e.path);
    expect(names.filter((n) => n.includes(".adlkit-copy."))).toEqual([]);
    expect(existsSync(stateFile)).toBe(false);
  });

  it("an abort stops the copy (state kept), and resume finishes it; Gen1 to Gen1 carries expiry", async () => {
    const root = `${g1.root}/abort`;
    for (let i = 0; i < 6; i++) await gen1.writeFile(`${root}/f${i}.bin`, bytes(64 * 1024, 40 + i));
    const expiry = Date.now() + 3_600_000;
    await gen1.setExpiry(`${root}/f0.bin`, "Absolute", expiry);
    const stateFile = state("abort");
    const controller = new AbortController();
    const options = { recursive: true, concurrency: 2, blockSize: 16 * 1024, stateFile };
    const target = { client: gen1, path: `${g1.root}/abort-copy` };
    const stopped = await copy({ client: gen1, path: root }, target, {
      ...options,
      abortSignal: controller.signal,
      onProgress: (p) => {
        if (p.filesCompleted >= 2) controller.abort();
      },
    }).catch((e: unknown) => e);
    expect(stopped).toBeInstanceOf(AbortError);
    expect(existsSync(stateFile)).toBe(true);
    const report = await copy({ client: gen1, path: root }, target, { ...options, resume: true });
    expect(report).toMatchObject({ files: 6, failed: 0, preserve: [] });
    expect(report.skipped).toBeGreaterThanOrEqual(2);
    for (let i = 0; i < 6; i++)
      expect(sha(await gen1.cat(`${target.path}/f${i}.bin`))).toBe(sha(bytes(64 * 1024, 40 + i)));
    const names: string[] = [];
    for await (const e of gen1.walk(target.path)) names.push(e.pathSuffix);
    expect(names.sort()).toEqual(["f0.bin", "f1.bin", "f2.bin", "f3.bin", "f4.bin", "f5.bin"]);

    const kept = await copy(
      { client: gen1, path: `${root}/f0.bin` },
      { client: gen1, path: `${g1.root}/expiring.bin` },
      {
        preserve: ["permissions"],
        stateFile: state("expiry"),
      },
    );
    expect(kept).toMatchObject({ files: 1, failed: 0 });
    expect((await gen1.stat(`${g1.root}/expiring.bin`)).msExpirationTime).toBe(expiry);
  });
});
