import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { json, runAdl, startAdl, tempDir } from "../helpers.js";
import { emulatorEnv, unique } from "./env.js";

// Issue 17, "Never lose data, never run away": each guard, through the real `adl` against the emulator.

const MiB = 1024 * 1024;

interface Entry {
  path: string;
  type: "FILE" | "DIRECTORY";
}

/** Waits until the upload's state file records a finished segment: the upload is under way, not done. */
async function segmentFinished(stateFile: string): Promise<void> {
  for (let i = 0; i < 1500; i++) {
    if (existsSync(stateFile)) {
      try {
        const state = JSON.parse(readFileSync(stateFile, "utf8")) as { completed: number[] };
        if (state.completed.length > 0) return;
      } catch {
        // written at this very moment: look again
      }
    }
    await sleep(10);
  }
  throw new Error(`no segment finished within 15 s (${stateFile})`);
}

describe("adl never loses data and never runs away", () => {
  const env = emulatorEnv({ ADL_ACCOUNT: "testacct" });
  const adl = (...args: string[]) => runAdl(args, { env });
  const names = async (dir: string) => json<Entry[]>(await adl("fs", "ls", dir, "--json")).map((e) => e.path);

  it("refuses an expiry time that is not in the future unless --yes, then says the file expired and was deleted", async () => {
    const dir = `/${unique("expiry-")}`;
    const file = `${dir}/f.txt`;
    expect((await adl("fs", "touch", file)).code).toBe(0);

    for (const when of [
      ["--at", "2020-01-01"],
      ["--in", "0"],
      ["--after-creation", "1ms"],
    ]) {
      const refused = await adl("fs", "expiry", "set", file, ...when);
      expect(refused.code, `${when.join(" ")}: ${refused.stderr}`).toBe(2);
      expect(refused.stderr).toMatch(/not in the future: the file would be deleted at once.*--yes/);
    }
    expect((await adl("fs", "stat", file)).code).toBe(0); // still there

    const later = await adl("fs", "expiry", "set", file, "--in", "1d", "--json");
    expect(later.code).toBe(0);
    expect(json(later)).toMatchObject({ path: file, deleted: false });

    const deleted = await adl("fs", "expiry", "set", file, "--at", "2020-01-01", "--yes");
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stderr).toBe(`Expired and deleted ${file}.\n`);
    expect((await adl("fs", "stat", file)).code).toBe(3);

    expect((await adl("fs", "touch", file)).code).toBe(0);
    const now = await adl("fs", "expiry", "set", file, "--in", "0", "--yes", "--json");
    expect(now.code, now.stderr).toBe(0);
    expect(json(now)).toMatchObject({ path: file, deleted: true });
  });

  it("checks --chunk-size (1M to 1G) and --threads (1 to 256) before any work", async () => {
    const local = tempDir();
    const source = path.join(local, "data.bin");
    writeFileSync(source, randomBytes(MiB + 17));
    const target = `/${unique("limits-")}/data.bin`;
    const cases: Array<[string, string, RegExp]> = [
      ["--chunk-size", "1", /from 1M to 1G, got '1'/],
      ["--chunk-size", "2G", /from 1M to 1G, got '2G'/],
      ["--threads", "0", /from 1 to 256, got '0'/],
      ["--threads", "257", /from 1 to 256, got '257'/],
    ];
    for (const [flag, value, range] of cases) {
      for (const args of [
        ["fs", "put", source, target, flag, value],
        ["fs", "get", "/nothing", path.join(local, "out.bin"), flag, value],
      ]) {
        const run = await adl(...args);
        expect(run.code, run.stderr).toBe(2);
        expect(run.stderr).toContain(flag);
        expect(run.stderr).toMatch(range);
      }
    }
    // Nothing was started: no state file, no target, no partial download.
    expect(existsSync(`${source}.adlkit-upload.json`)).toBe(false);
    expect((await adl("fs", "stat", target)).code).toBe(3);
    expect(existsSync(path.join(local, "out.bin"))).toBe(false);
  });

  it("after Ctrl-C, the same put without --resume deletes the earlier parts, starts over and says so", async () => {
    const dir = `/${unique("restart-")}`;
    const local = tempDir();
    const source = path.join(local, "big.bin");
    writeFileSync(source, randomBytes(32 * MiB));
    const args = ["fs", "put", source, `${dir}/big.bin`, "--threads", "1", "--chunk-size", "1M"];

    const first = startAdl(args, { env });
    await segmentFinished(`${source}.adlkit-upload.json`);
    first.child.kill("SIGINT");
    const interrupted = await first.done;
    expect(interrupted.code, `the upload ended before Ctrl-C: ${interrupted.stderr}`).toBe(130);
    expect(interrupted.stderr).toContain("run the same command with --resume");
    // The interrupted run kept its parts for --resume.
    expect((await names(dir)).filter((p) => p.includes(".segments."))).toHaveLength(1);

    const again = await adl(...args, "-v");
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(
      /^Started over: an earlier upload of .*big\.bin had been interrupted; .* deleted/m,
    );
    expect(again.stdout).toMatch(/resumed bytes: +0\n/);
    expect(await names(dir)).toEqual([`${dir}/big.bin`]);
    expect(existsSync(`${source}.adlkit-upload.json`)).toBe(false);
  });

  it("account create refuses an existing account unless --force; group create only when it would change it", async () => {
    const rg = unique("rg-");
    const lake = unique("lake");
    expect((await adl("group", "create", rg, "-l", "eastus2", "--tag", "env=dev")).code).toBe(0);

    // group create again: nothing would change (no --tag, or the same tags) → fine, nothing touched.
    for (const extra of [[], ["--tag", "env=dev"]]) {
      const same = await adl("group", "create", rg, "-l", "eastus2", ...extra);
      expect(same.code, same.stderr).toBe(0);
      expect(same.stderr).toMatch(/already exists; nothing changed/);
    }
    const retag = await adl("group", "create", rg, "-l", "eastus2", "--tag", "env=prod");
    expect(retag.code).toBe(1);
    expect(retag.stderr).toMatch(/already exists with other tags \(env=dev\).*--force/);
    const moved = await adl("group", "create", rg, "-l", "westus");
    expect(moved.code).toBe(1);
    expect(moved.stderr).toMatch(/already exists in eastus2.*cannot move/);
    expect(json(await adl("group", "show", rg, "--json"))).toMatchObject({ tags: { env: "dev" } });
    const forced = await adl(
      "group",
      "create",
      rg,
      "-l",
      "eastus2",
      "--tag",
      "env=prod",
      "--force",
      "--json",
    );
    expect(forced.code, forced.stderr).toBe(0);
    expect(json(forced)).toMatchObject({ tags: { env: "prod" } });

    expect((await adl("account", "create", lake, "-g", rg, "-l", "eastus2", "--tag", "team=data")).code).toBe(
      0,
    );
    const again = await adl("account", "create", lake, "-g", rg, "-l", "eastus2");
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists.*`adl account update/);
    expect(json(await adl("account", "show", lake, "-g", rg, "--json"))).toMatchObject({
      tags: { team: "data" },
    });
    const replaced = await adl("account", "create", lake, "-g", rg, "-l", "eastus2", "--force", "--json");
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(json<{ tags?: Record<string, string> }>(replaced).tags ?? {}).toEqual({});
    expect((await adl("group", "delete", rg, "--yes")).code).toBe(0);
  });

  it("cat, head, tail and get - of a directory say it is a directory and exit 1", async () => {
    const dir = `/${unique("readdir-")}`;
    expect((await adl("fs", "mkdir", `${dir}/sub`)).code).toBe(0);
    expect((await adl("fs", "touch", `${dir}/empty`)).code).toBe(0);
    for (const args of [
      ["fs", "cat", `${dir}/sub`],
      ["fs", "head", `${dir}/sub`],
      ["fs", "tail", `${dir}/sub`],
      ["fs", "get", `${dir}/sub`, "-"],
    ]) {
      const run = await adl(...args);
      expect(run.code, args.join(" ")).toBe(1);
      expect(run.stdout).toBe("");
      expect(run.stderr).toMatch(new RegExp(`^adl: ${dir}/sub is a directory \\[IS_A_DIRECTORY\\]`));
    }
    // An empty file is not a directory: nothing to print, and fine.
    const empty = await adl("fs", "cat", `${dir}/empty`);
    expect([empty.code, empty.stdout, empty.stderr]).toEqual([0, "", ""]);
  });
});
