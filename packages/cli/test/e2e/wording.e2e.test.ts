import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { sharedEmulator } from "@adlkit/testkit";
import { describe, expect, it } from "vitest";
import { json, runAdl, startAdlInTerminal, tempDir } from "../helpers.js";
import { emulatorEnv, unique } from "./env.js";

// Issue 17, "Say true things, in the user's words": what adl prints, through the real `adl` against the emulator.

/** Library wording that must never reach a CLI user: option bags, client methods, request-body paths. */
const LIBRARY_WORDS =
  /overwrite: true|retry\.limit|resourceGroups\.|accounts\.\w+:|parameters\.|\boption\b|HTTP 200/;

/** A TCP port with nothing listening on it (bound, then released). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("adl says true things, in the user's words", () => {
  const env = emulatorEnv({ ADL_ACCOUNT: "testacct" });
  const adl = (...args: string[]) => runAdl(args, { env });

  it("names flags and commands in hints, never library options or methods", async () => {
    const dir = `/${unique("words-")}`;
    const local = tempDir();
    writeFileSync(path.join(local, "a.txt"), "alpha\n");
    expect((await adl("fs", "put", path.join(local, "a.txt"), `${dir}/a.txt`)).code).toBe(0);

    const exists = await adl("fs", "put", path.join(local, "a.txt"), `${dir}/a.txt`);
    expect(exists.code).toBe(1);
    expect(exists.stderr).toBe(
      `adl: ${dir}/a.txt already exists [PATH_EXISTS] Hint: Use \`--overwrite\` (-f) to replace it.\n`,
    );
    const localExists = await adl("fs", "get", `${dir}/a.txt`, path.join(local, "a.txt"));
    expect(localExists.code).toBe(1);
    expect(localExists.stderr).toMatch(/already exists.*Use `--overwrite` \(-f\)/);

    const moved = await adl("fs", "mv", `${dir}/nope`, `${dir}/x`);
    expect(moved.code).toBe(3);
    expect(moved.stderr).toBe(`adl: ${dir}/nope does not exist [PATH_NOT_FOUND]\n`);
    // -v keeps the wire-level story for whoever debugs it.
    expect((await adl("fs", "mv", `${dir}/nope`, `${dir}/x`, "-v")).stderr).toMatch(
      /\(RENAME .*nope failed: path does not exist\)/,
    );

    const noGroup = unique("rg-");
    const group = await adl("account", "show", "lake1", "-g", noGroup);
    expect(group.code).toBe(3);
    expect(group.stderr).toContain(`Hint: Create it with \`adl group create ${noGroup} -l REGION\``);

    const rg = unique("rg-");
    expect((await adl("group", "create", rg, "-l", "eastus2")).code).toBe(0);
    const badIp = await adl(
      "firewall",
      "create",
      "fw1",
      "-g",
      rg,
      "-a",
      "lake1",
      "--start-ip",
      "1.2.3",
      "--end-ip",
      "1.2.3.4",
    );
    expect(badIp.code).toBe(2);
    expect(badIp.stderr).toMatch(/^adl: --start-ip must be an IPv4 or IPv6 address, got '1\.2\.3'/);
    const badName = await adl("account", "show", "Bad_Name", "-g", rg);
    expect(badName.code).toBe(2);
    expect(badName.stderr).toMatch(/^adl: the account NAME 'Bad_Name' is not a valid/);
    const badSubscription = await adl("group", "list", "--subscription", "not-a-guid");
    expect(badSubscription.stderr).toMatch(/^adl: --subscription must be a subscription GUID/);

    for (const run of [exists, localExists, moved, group, badIp, badName, badSubscription])
      expect(run.stderr).not.toMatch(LIBRARY_WORDS);
    expect((await adl("group", "delete", rg, "--yes")).code).toBe(0);
  });

  it("says an unknown account is not found in this cloud", async () => {
    const name = unique("nosuch");
    const run = await adl("fs", "ls", "/", "-a", name);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(
      new RegExp(`^adl: account ${name} not found in the emulator cloud \\[ACCOUNT_NOT_FOUND\\]`),
    );
    expect(run.stderr).toContain("adl account list");
    expect(run.stderr).not.toMatch(/GETFILESTATUS/);
  });

  it("does not claim to create what exists or to delete what is not there", async () => {
    const dir = `/${unique("claims-")}`;
    const created = await adl("fs", "mkdir", dir);
    expect(created.stderr).toBe(`Created ${dir}.\n`);
    const again = await adl("fs", "mkdir", dir, "--json");
    expect(again.code).toBe(0);
    expect(json(again)).toEqual({ created: [], existing: [dir] });
    const human = await adl("fs", "mkdir", dir, `${dir}/new`);
    expect(human.stderr).toBe(`Created ${dir}/new; ${dir} already exists.\n`);

    const missing = await adl("fs", "rm", "-f", `${dir}/nope`);
    expect(missing.code).toBe(0);
    expect(missing.stderr).toBe(`Nothing to delete at ${dir}/nope (no such file or directory).\n`);
    expect(missing.stderr).not.toMatch(/Deleted/);
    const mixed = await adl("fs", "rm", "-f", "-r", `${dir}/new`, `${dir}/nope`, "--json");
    expect(json(mixed)).toEqual({ deleted: [`${dir}/new`], missing: [`${dir}/nope`] });
  });

  it("asks whether the emulator runs when it cannot be reached, and suggests --port 0 for a busy port", async () => {
    const { connection, connectionFile } = sharedEmulator();
    const port = new URL(connection.url).port;
    const dead = tempDir("adl-dead-emulator-");
    const free = String(await freePort());
    writeFileSync(
      path.join(dead, "connection.json"),
      readFileSync(connectionFile, "utf8").replaceAll(`:${port}`, `:${free}`),
    );
    for (const args of [
      ["fs", "ls", "/"],
      ["group", "list"],
    ]) {
      const run = await runAdl(args, { env: emulatorEnv({ ADL_ACCOUNT: "testacct", ADL_EMULATOR: dead }) });
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        `adl: cannot reach the emulator at https://localhost:${free}: nothing is listening there [EMULATOR_UNREACHABLE] Hint: Is the emulator running? Start it with \`adl emulator start --data ${dead}\`.\n`,
      );
    }

    const busy = await runAdl(["emulator", "start", "--port", port, "--data", tempDir()], {
      env: emulatorEnv(),
    });
    expect(busy.code).toBe(1);
    expect(busy.stderr).toMatch(
      new RegExp(`^adl: port ${port} is already in use \\[PORT_IN_USE\\] Hint: Pass --port 0`),
    );
  });

  it("prints the Ctrl-C note on its own line after the progress bar stopped, not under a live bar", async () => {
    const local = tempDir();
    const source = path.join(local, "big.bin");
    writeFileSync(source, randomBytes(48 * 1024 * 1024));
    const target = `/${unique("ctrlc-")}/big.bin`;
    const terminal = startAdlInTerminal(
      ["fs", "put", source, target, "--threads", "1", "--chunk-size", "1M"],
      { terminal: ["stdin", "stdout", "stderr"], columns: 120, env },
    );
    // Ctrl-C once the bar shows progress.
    for (let i = 0; i < 1500 && !/Uploading [^\n]* [1-9]\d?% /.test(terminal.output()); i++) await sleep(10);
    terminal.type("\x03");
    const { code, stdout: output } = await terminal.done;
    expect(code).toBe(130);
    const note = output.indexOf("Interrupted: run the same command with --resume");
    expect(note, output).toBeGreaterThan(0);
    // The bar drew itself before, and stopped (line wrapping back on, then a new line) before the note...
    expect(output.lastIndexOf("Uploading")).toBeLessThan(note);
    expect(output.lastIndexOf("\x1b[?7h")).toBeLessThan(note);
    expect(output.slice(0, note)).toMatch(/\n$/);
    // ...and nothing redraws over it afterwards.
    const after = output.slice(note);
    expect(after).not.toContain("Uploading");
    expect(after.replaceAll("\r\n", "\n")).not.toContain("\r");
    // No "cursor to column" or "erase line" sequence either (colours are fine).
    const sequences = after.split(String.fromCharCode(27)).slice(1);
    expect(sequences.filter((s) => /^\[\d*[GK]/.test(s))).toEqual([]);
  });

  it("never turns a wrong secret that is an ordinary word into a false sentence, nor shows it", async () => {
    for (const secret of ["wrong", "client", "The"]) {
      const run = await adl("group", "list", "--client-secret", secret);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain("AADSTS7000215");
      expect(run.stderr).not.toMatch(/REDACTED/);
      if (secret === "The") {
        // Too short to be worth hiding (and it would hide every text): the true hint, intact.
        expect(run.stderr).toContain("Hint: The client secret is wrong.");
      } else {
        // The hint holds the word: not shown at all rather than falsified, and the value never shows.
        expect(run.stderr).toContain("Hint: (not shown: it contains the value of a secret in use)");
        expect(run.stderr).not.toMatch(new RegExp(`\\b${secret}\\b`));
      }
    }
  });
});
