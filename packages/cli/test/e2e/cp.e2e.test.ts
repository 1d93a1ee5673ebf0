import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { stripVTControlCharacters } from "node:util";
import { createArmClient } from "@adlkit/arm-client";
import { ClientSecretCredential } from "@adlkit/auth";
import { emulatorCloud } from "@adlkit/core";
import { createFsClient, type FsClient, Gen2FsClient } from "@adlkit/fs-client";
import { sharedEmulator } from "@adlkit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json, runAdl, runAdlInTerminal, tempDir } from "../helpers.js";
import { emulatorEnv, unique } from "./env.js";

const USER = "470c0ccf-c91a-4597-98cd-48507d2f1486";
const OWNER = "1f3c5e7a-2b4d-4c6e-8a0b-c2d4e6f80a1b";
const sha = (data: Buffer) => createHash("sha256").update(data).digest("hex");

interface Report {
  files: number;
  directories: number;
  bytes: number;
  skipped: number;
  failed: number;
  preserve: string[];
  acls: { carried: number; notCarried: number };
  failures: Array<{ path: string; code: string }>;
  items?: Array<{ path: string; outcome: string }>;
}

let gen1: FsClient;
let gen2: Gen2FsClient;
let account: string;
let filesystem: string;

beforeAll(async () => {
  const { connection, caPem } = sharedEmulator();
  const cloud = emulatorCloud({ ...connection, caPem });
  const credential = new ClientSecretCredential(
    connection.tenantId,
    connection.clientId,
    connection.clientSecret,
    {
      cloud,
    },
  );
  const arm = createArmClient({ credential, subscriptionId: connection.subscriptionId, cloud });
  account = unique("cpcli");
  const group = `rg-${account}`;
  await arm.resourceGroups.createOrUpdate(group, { location: "eastus2" });
  await arm.storageAccounts.beginCreateAndWait(group, account, {
    location: "eastus2",
    kind: "StorageV2",
    sku: { name: "Standard_LRS" },
    properties: { isHnsEnabled: true },
  });
  await arm.close();
  filesystem = unique("fs-");
  gen2 = new Gen2FsClient({ credential, accountName: account, filesystem, cloud });
  await gen2.createFilesystem();
  gen1 = createFsClient({ credential, accountName: "testacct", cloud });
});
afterAll(async () => {
  await gen1?.close();
  await gen2?.close();
});

describe("adl fs cp against the emulator", () => {
  const env = emulatorEnv();
  const adl = (args: string[]) => runAdl(args, { env });

  it("migrates a Gen1 tree to Gen2 with its ACLs, owner and sticky bit, after a dry run", async () => {
    const root = `/${unique("cp-")}`;
    const big = randomBytes(2 * 1024 * 1024 + 9);
    await gen1.writeFile(`${root}/big.bin`, big);
    await gen1.writeFile(`${root}/sub/a.txt`, "alpha");
    await gen1.setAcl(
      `${root}/sub`,
      `user::rwx,user:${USER}:r-x,group::r-x,mask::r-x,other::---,default:user:${USER}:rwx`,
    );
    await gen1.setPermission(`${root}/sub`, "1750");
    await gen1.setOwner(`${root}/sub/a.txt`, { owner: OWNER });
    const src = `adl://testacct${root}`;
    const dst = `abfss://${filesystem}@${account}/migrated`;

    const dry = await adl(["fs", "cp", "-R", src, dst, "--dry-run"]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/^big\.bin\tfile\t2\.0 MiB$/m);
    expect(dry.stdout).toMatch(/^sub\/a\.txt\tfile\t5 B$/m);
    expect(dry.stderr).toMatch(/Dry run: would copy 2 file/);
    const dryJson = json<Report>(await adl(["fs", "cp", "-R", src, dst, "--dry-run", "--json"]));
    expect(dryJson).toMatchObject({
      files: 2,
      directories: 2,
      failed: 0,
      preserve: ["acl", "owner", "permissions"],
    });
    expect(dryJson.items?.map((i) => i.outcome)).toEqual(["planned", "planned", "planned", "planned"]);
    expect(await gen2.exists("/migrated")).toBe(false);

    const run = await adl(["fs", "cp", "-R", src, dst, "--chunk-size", "1M", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    expect(json<Report>(run)).toMatchObject({
      files: 2,
      directories: 2,
      bytes: big.length + 5,
      failed: 0,
      acls: { carried: 4, notCarried: 0 },
    });
    expect(sha(await gen2.cat("/migrated/big.bin"))).toBe(sha(big));
    for (const p of ["", "/sub", "/sub/a.txt", "/big.bin"]) {
      const [from, to] = await Promise.all([
        gen1.getAclStatus(`${root}${p}`),
        gen2.getAclStatus(`/migrated${p}`),
      ]);
      expect({ ...to, entries: [...to.entries].sort() }, p).toEqual({
        ...from,
        entries: [...from.entries].sort(),
      });
    }
    expect((await gen2.getAclStatus("/migrated/sub")).stickyBit).toBe(true);
  });

  it("copies local -> Gen2 -> local; a failed file is reported and --resume finishes the rest", async () => {
    const local = tempDir();
    mkdirSync(path.join(local, "up", "d"), { recursive: true });
    writeFileSync(path.join(local, "up", "one.txt"), "one");
    writeFileSync(path.join(local, "up", "d", "two.txt"), "two");
    const dst = `abfss://${filesystem}@${account}/${unique("up-")}`;
    const up = await adl(["fs", "cp", "-R", path.join(local, "up"), dst, "--json"]);
    expect(up.code, up.stderr).toBe(0);
    expect(json<Report>(up)).toMatchObject({ files: 2, failed: 0, preserve: [] });

    const back = path.join(local, "back");
    mkdirSync(back);
    writeFileSync(path.join(back, "one.txt"), "in the way");
    // Into an existing directory without -R's name: `back` exists, so the tree lands in back/NAME.
    const name = dst.split("/").pop() as string;
    mkdirSync(path.join(back, name));
    writeFileSync(path.join(back, name, "one.txt"), "in the way");
    const first = await adl(["fs", "cp", "-R", dst, back]);
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(/failed: one\.txt: .*already exists/);
    expect(first.stderr).toMatch(/--resume/);
    expect(readFileSync(path.join(back, name, "d", "two.txt"), "utf8")).toBe("two");
    const again = await adl(["fs", "cp", "-R", dst, back, "--resume", "--overwrite", "--json"]);
    expect(again.code, again.stderr).toBe(0);
    expect(json<Report>(again)).toMatchObject({ files: 2, skipped: 1, failed: 0 });
    expect(readFileSync(path.join(back, name, "one.txt"), "utf8")).toBe("one");
  });

  it("shows a progress bar on a terminal", async () => {
    const local = tempDir();
    writeFileSync(path.join(local, "big.bin"), randomBytes(8 * 1024 * 1024));
    const run = await runAdlInTerminal(
      ["fs", "cp", path.join(local, "big.bin"), `abfss://${filesystem}@${account}/${unique("bar-")}.bin`],
      { terminal: ["stderr"], columns: 60, env },
    );
    expect(run.code, run.stderr).toBe(0);
    const frames = stripVTControlCharacters(run.stderr.replaceAll("\u001b[1G", "\n"))
      .split(/[\r\n]+/)
      .filter((f) => f.includes("%"));
    expect(frames.length).toBeGreaterThan(0);
  });

  it("refuses bad input naming the flag to use", async () => {
    const src = `abfss://${filesystem}@${account}/`;
    const bad = await adl(["fs", "cp", "-R", src, tempDir(), "--preserve", "acl,xattr"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--preserve/);
    const dir = await adl(["fs", "cp", src, tempDir()]);
    expect(dir.code).toBe(2);
    expect(dir.stderr).toMatch(/-R\/--recursive/);
    const toLocal = await adl(["fs", "cp", "-R", src, tempDir(), "--preserve", "acl"]);
    expect(toLocal.stderr).toMatch(/--preserve/);
    const scheme = await adl(["fs", "cp", "abfs://x@y/z", tempDir()]);
    expect(scheme.code).toBe(2);
    expect(scheme.stderr).toMatch(/abfss:\/\//);
    const missing = await adl(["fs", "cp", `abfss://${filesystem}@${account}/no-such-file`, tempDir()]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/does not exist/);
  });
});
