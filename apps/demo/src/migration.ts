import { createHash, randomBytes } from "node:crypto";
import path from "node:path";
import type { Readable } from "node:stream";
import type { ArmClient } from "@adlkit/arm-client";
import {
  type AclStatus,
  copy,
  createGen2FsClient,
  type FsClient,
  type Gen2FsClient,
} from "@adlkit/fs-client";
import { say, step } from "./output.js";
import type { Target } from "./target.js";

export interface MigrationInput {
  target: Target;
  arm: ArmClient;
  group: string;
  location: string;
  /** The Gen1 account's client, holding the first walkthrough's `/demo` tree. */
  gen1: FsClient;
  /** A local directory for the copy's state file. */
  work: string;
  /** The number of the walkthrough's first step here. */
  firstStep: number;
  /** Told the storage account's name as soon as it exists, so that the clean-up deletes it whatever happens next. */
  created(accountName: string): void;
}

const FILESYSTEM = "migrated";

async function sha256(stream: Readable): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** What a migration must carry of an item's access control: entries (in any order), owner, group, mode. */
function aclKey(acl: AclStatus): string {
  return JSON.stringify({
    entries: [...acl.entries].sort(),
    owner: acl.owner,
    group: acl.group,
    permission: acl.permission,
    sticky: acl.stickyBit,
  });
}

/**
 * The second walkthrough, the move every Gen1 user had to make: a Data Lake Storage Gen2 account (a storage
 * account with a hierarchical namespace) beside the Gen1 one, the Gen1 `/demo` tree copied into it server to
 * server with its ACLs, owners and permissions, then both sides compared independently of the copy's own checks:
 * every file's bytes by SHA-256, every item's access control entry by entry. Returns the number of its last step.
 */
export async function migrateToGen2(input: MigrationInput): Promise<number> {
  const { target, arm, gen1 } = input;
  let n = input.firstStep;
  const accountName = `adlkitgen2${randomBytes(4).toString("hex")}`;

  step(n, `Create Data Lake Storage Gen2 account ${accountName} (hierarchical namespace) and wait for it`);
  input.created(accountName);
  const account = await arm.storageAccounts.beginCreateAndWait(input.group, accountName, {
    location: input.location,
    kind: "StorageV2",
    sku: { name: "Standard_LRS" },
    tags: { createdBy: "adlkit-demo" },
    properties: { isHnsEnabled: true },
  });
  say(
    `${account.name}: ${account.properties?.provisioningState}, DFS endpoint ${account.properties?.primaryEndpoints?.dfs}`,
  );

  step(++n, `Create the filesystem ${FILESYSTEM}`);
  const gen2: Gen2FsClient = createGen2FsClient({
    credential: target.credential,
    accountName,
    filesystem: FILESYSTEM,
    cloud: target.cloud,
  });
  try {
    await gen2.createFilesystem();
    say(`abfss://${FILESYSTEM}@${accountName}/ is ready`);

    const source = { client: gen1, path: "/demo" };
    const destination = { client: gen2, path: "/demo" };
    const stateFile = path.join(input.work, "migration.jsonl");

    step(++n, "Plan the migration (a dry run): what would be copied, and what could not be carried");
    const plan = await copy(source, destination, { recursive: true, dryRun: true, stateFile });
    say(`${plan.files} files (${plan.bytes} bytes) and ${plan.directories} directories would be copied`);
    for (const missed of plan.notCarried)
      say(`not carried: ${missed.path}: ${missed.entry}: ${missed.reason}`);

    step(++n, "Migrate /demo from Gen1 to Gen2: streamed through this process, verified, ACLs carried");
    const report = await copy(source, destination, { recursive: true, stateFile });
    say(
      `copied ${report.files} files, ${report.bytes} bytes, ${report.directories} directories; ` +
        `access control carried for ${report.acls.carried} items; ${report.failed} failed`,
    );
    if (report.failed > 0)
      throw new Error(
        `the migration failed for ${report.failures.map((f) => `${f.path} (${f.message})`).join(", ")}`,
      );

    step(++n, "Verify on both sides: every file's SHA-256, every item's ACL, owner, group and mode");
    let files = 0;
    let items = 0;
    for await (const entry of gen1.glob("/demo/**")) {
      const itemPath = entry.path ?? "";
      if (entry.type === "FILE") {
        const [a, b] = await Promise.all([
          sha256(gen1.createReadStream(itemPath)),
          sha256(gen2.createReadStream(itemPath)),
        ]);
        if (a !== b) throw new Error(`${itemPath} differs after the migration: ${a} vs ${b}`);
        files++;
      }
      const [before, after] = await Promise.all([gen1.getAclStatus(itemPath), gen2.getAclStatus(itemPath)]);
      if (aclKey(before) !== aclKey(after))
        throw new Error(`${itemPath}: access control differs: ${aclKey(before)} vs ${aclKey(after)}`);
      items++;
    }
    say(`${files} files identical by SHA-256; ${items} items with identical access control`);
    const sample = await gen2.getAclStatus("/demo/raw/2026-11.bin");
    say(
      `abfss://${FILESYSTEM}@${accountName}/demo/raw/2026-11.bin: ${sample.permission} ${sample.entries.join(",")}`,
    );
  } finally {
    await gen2.close();
  }
  return n;
}
