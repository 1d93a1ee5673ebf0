import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, inject, it } from "vitest";
import { setupGen2 } from "./gen2-helpers.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));

/** The fenced block after `<!-- readme-test: NAME -->` in the README, as a reader copies it. */
async function readmeBlock(name: string): Promise<string> {
  const readme = await readFile(path.join(packageDir, "README.md"), "utf8");
  const marker = `<!-- readme-test: ${name} -->`;
  const at = readme.indexOf(marker);
  const match = /^\s*```ts\n([\s\S]*?)^```/m.exec(readme.slice(at + marker.length));
  if (at < 0 || !match) throw new Error(`no ts block after ${marker} in the README`);
  return match[1] as string;
}

it("the README's migration quick start runs as written (its account names swapped for this emulator's)", async () => {
  const g2 = await setupGen2("readme");
  const root = `readme${randomBytes(4).toString("hex")}`;
  // Run inside the package, so `@adlkit/fs-client` resolves to this build (self-reference) and `@adlkit/auth` too.
  const dir = await mkdtemp(path.join(packageDir, ".readme-run-"));
  try {
    const code = (await readmeBlock("migration"))
      .replaceAll("contosolake", "testacct")
      .replaceAll("migrated@contosogen2", `${g2.filesystem}@${g2.account}`)
      .replaceAll("sales", root);
    await writeFile(path.join(dir, "migration.mts"), code);
    await symlink(path.dirname(inject("emulatorConnectionFile")), path.join(dir, ".adl-emulator"));
    const { stdout } = await promisify(execFile)(process.execPath, ["migration.mts"], { cwd: dir });
    expect(stdout).toMatch(/^would copy 1 file\(s\); 0 ACL entries cannot be carried$/m);
    expect(stdout).toMatch(/^copied 1 file\(s\), 22 bytes; 3 ACLs carried; 0 failed$/m);
    expect(stdout).toMatch(
      /^1750 true user::rwx,group::r-x,other::---,default:user::rwx,default:group::r-x,default:other::---$/m,
    );
    expect((await g2.client.cat(`/${root}/2024/q1.csv`)).toString()).toBe("region,total\nnorth,42\n");
  } finally {
    await g2.client.close();
    await rm(dir, { recursive: true, force: true });
  }
});
