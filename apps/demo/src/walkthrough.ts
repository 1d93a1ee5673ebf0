import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createArmClient } from "@adlkit/arm-client";
import { scopeForResource } from "@adlkit/auth";
import { createFsClient } from "@adlkit/fs-client";
import { migrateToGen2 } from "./migration.js";
import { say, step } from "./output.js";
import { chooseTarget } from "./target.js";

const MiB = 1024 * 1024;

/** Claims worth showing from a token, never the token itself. */
function describeToken(token: string): string {
  const claims = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<
    string,
    unknown
  >;
  return `token for ${String(claims.aud)} (app ${String(claims.appid)}), valid until ${new Date(Number(claims.exp) * 1000).toISOString()}`;
}

async function sha256(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/**
 * The walkthrough of the original Python sample, end to end: authenticate, create a resource group and a Data
 * Lake Store account, move data in and out (chunked parallel upload, listing, download, verification, ACL,
 * rename, concatenation); then the second walkthrough (migration.ts): the tree migrated to a Gen2 account with
 * its ACLs and verified; and clean everything up, even when a step fails (deleting the group takes whatever
 * accounts are left in it).
 */
export async function runDemo(env: NodeJS.ProcessEnv): Promise<number> {
  const target = await chooseTarget(env);
  const work = await mkdtemp(path.join(tmpdir(), "adlkit-demo-files-"));
  const group = `adlkit-demo-${randomBytes(3).toString("hex")}`;
  const accountName = `adlkitdemo${randomBytes(4).toString("hex")}`;
  const location = env.ADLKIT_DEMO_LOCATION ?? "eastus2";
  const arm = createArmClient({
    credential: target.credential,
    subscriptionId: target.subscriptionId,
    cloud: target.cloud,
  });
  let groupCreated = false;
  let storageAccount: string | undefined;
  let last = 12;
  try {
    say(`running against ${target.describe}`);

    step(1, "Authenticate for Resource Manager with a client secret");
    const armToken = await target.credential.getToken(scopeForResource(target.cloud.resourceManagerAudience));
    say(describeToken(armToken!.token));

    step(2, `Create resource group ${group} in ${location}`);
    const rg = await arm.resourceGroups.createOrUpdate(group, {
      location,
      tags: { createdBy: "adlkit-demo" },
    });
    groupCreated = true;
    say(`${rg.id}: ${rg.properties?.provisioningState ?? "created"}`);

    step(3, `Create Data Lake Store account ${accountName} and wait for it`);
    const poller = arm.accounts.beginCreate(group, accountName, {
      location,
      tags: { createdBy: "adlkit-demo" },
    });
    poller.onProgress((state) => say(`provisioning: ${state.status}`));
    const account = await poller.pollUntilDone();
    say(
      `${account.name}: ${account.properties.provisioningState}, state ${account.properties.state}, endpoint ${account.properties.endpoint}`,
    );

    step(4, "Authenticate for the Data Lake filesystem");
    if (!target.cloud.dataLakeAudience)
      throw new Error(`Data Lake Store Gen1 is not offered in the ${target.cloud.name} cloud`);
    const fsToken = await target.credential.getToken(scopeForResource(target.cloud.dataLakeAudience));
    say(describeToken(fsToken!.token));
    const fs = createFsClient({
      credential: target.credential,
      accountName,
      cloud: target.cloud,
      chunkSize: 4 * MiB,
      blockSize: MiB,
      concurrency: 4,
    });
    try {
      step(5, "Create a folder");
      await fs.mkdir("/demo/raw");
      say(`/demo/raw is a ${(await fs.stat("/demo/raw")).type.toLowerCase()}`);

      step(6, "Upload a 24 MiB file in parallel 4 MiB chunks, joined with MSCONCAT");
      const local = path.join(work, "measurements.bin");
      await writeFile(local, randomBytes(24 * MiB));
      let lastPercent = -25;
      const up = await fs.put(local, "/demo/raw/measurements.bin", {
        checksum: "sha256",
        onProgress: (p) => {
          const percent = Math.floor((100 * p.bytesTransferred) / Math.max(1, p.totalBytes));
          if (percent >= lastPercent + 25) {
            lastPercent = percent;
            say(`uploaded ${percent}%`);
          }
        },
      });
      say(`uploaded ${up.kind === "file" ? up.bytes : up.files} ${up.kind === "file" ? "bytes" : "files"}`);

      step(7, "List the folder");
      for await (const entry of fs.list("/demo/raw"))
        say(
          `${entry.type === "DIRECTORY" ? "d" : "-"} ${entry.permission} ${String(entry.length).padStart(10)} ${entry.pathSuffix}`,
        );

      step(8, "Download it back, in parallel ranges");
      const copy = path.join(work, "copy.bin");
      await fs.get("/demo/raw/measurements.bin", copy, { checksum: "sha256" });
      say(`downloaded to ${copy}`);

      step(9, "Verify the copy byte for byte");
      const [a, b] = await Promise.all([sha256(local), sha256(copy)]);
      if (a !== b) throw new Error(`the downloaded copy differs: ${a} vs ${b}`);
      say(`SHA-256 ${a.slice(0, 16)}… matches`);

      step(10, "Grant another principal read access with an ACL");
      const reader = "00000000-0000-0000-0000-00000000beef";
      await fs.modifyAclEntries("/demo/raw/measurements.bin", [`user:${reader}:r--`]);
      const acl = await fs.getAclStatus("/demo/raw/measurements.bin");
      say(`entries: ${acl.entries.join(", ")}`);

      step(11, "Rename the file");
      await fs.mv("/demo/raw/measurements.bin", "/demo/raw/2026-11.bin");
      say(
        `exists now: /demo/raw/2026-11.bin=${await fs.exists("/demo/raw/2026-11.bin")}, old name=${await fs.exists("/demo/raw/measurements.bin")}`,
      );

      step(12, "Concatenate two files into one");
      await fs.writeFile("/demo/parts/a.csv", "id,value\n1,10\n");
      await fs.writeFile("/demo/parts/b.csv", "2,20\n3,30\n");
      await fs.msConcat("/demo/all.csv", ["/demo/parts/a.csv", "/demo/parts/b.csv"]);
      say(`/demo/all.csv: ${JSON.stringify((await fs.cat("/demo/all.csv")).toString())}`);

      last = await migrateToGen2({
        target,
        arm,
        group,
        location,
        gen1: fs,
        work,
        firstStep: 13,
        created: (name) => {
          storageAccount = name;
        },
      });
    } finally {
      await fs.close();
    }

    step(last + 1, "Clean up: delete both accounts and the resource group");
    if (storageAccount) {
      await arm.storageAccounts.delete(group, storageAccount);
      say(`storage account ${storageAccount} deleted`);
    }
    await arm.accounts.beginDeleteAndWait(group, accountName);
    say(`account ${accountName} deleted`);
    await arm.resourceGroups.beginDeleteAndWait(group);
    groupCreated = false;
    say(`resource group ${group} deleted`);
    process.stdout.write("\nDone.\n");
    return 0;
  } finally {
    if (groupCreated) {
      // A failed step must not leave billable resources behind.
      await arm.resourceGroups
        .beginDeleteAndWait(group)
        .catch((err: Error) => say(`clean-up failed: ${err.message}`));
    }
    await arm.close();
    await rm(work, { recursive: true, force: true });
    await target.stop();
  }
}
