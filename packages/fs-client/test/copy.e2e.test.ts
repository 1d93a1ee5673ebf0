import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type CopyItem,
  copy,
  type FileSystemClient,
  type FsClient,
  type Gen2FsClient,
  InvalidArgumentError,
} from "../src/index.js";
import { type Gen2Context, setupGen2 } from "./gen2-helpers.js";
import { bytes, setup, type TestContext } from "./helpers.js";

const MiB = 1024 * 1024;
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
    expect(report).toMatchObject({ files: 3, directories: 4, failed: 0, skipped: 0, bytes: 3 * MiB + 777 + 15 });
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
});
