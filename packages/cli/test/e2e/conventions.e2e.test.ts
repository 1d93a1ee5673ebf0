import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { stripVTControlCharacters } from "node:util";
import { findSecrets, knownSecrets, sharedEmulator } from "@adlkit/testkit";
import { describe, expect, it } from "vitest";
import { json, runAdl, runAdlInTerminal, tempDir } from "../helpers.js";
import { emulatorEnv, unique } from "./env.js";

/** What a command prints for a person: a confirmation (one line on stderr) or data (stdout only). */
type Kind = "confirms" | "data";

/** Every command but `emulator start` (long-running), on fresh names, in an order that works. */
function everyCommand(local: string): Array<[Kind, string[]]> {
  const rg = unique("rg-");
  const lake = unique("lake");
  const dir = `/${unique("conv-")}`;
  const emulatorDir = path.dirname(sharedEmulator().connectionFile);
  const arm = ["-g", rg, "-a", lake];
  const fs = (...args: string[]): string[] => ["fs", ...args, "-a", "testacct"];
  const profile = unique("p");
  return [
    ["confirms", ["profile", "add", profile, "--from-emulator", emulatorDir]],
    ["confirms", ["profile", "use", profile]],
    ["data", ["profile", "list"]],
    ["confirms", ["group", "create", rg, "-l", "eastus2"]],
    ["data", ["group", "show", rg]],
    ["data", ["group", "list"]],
    ["confirms", ["account", "create", lake, "-g", rg, "-l", "eastus2"]],
    ["data", ["account", "show", lake, "-g", rg]],
    ["data", ["account", "list", "-g", rg]],
    ["confirms", ["account", "update", lake, "-g", rg, "--tier", "Commitment_1TB"]],
    ["data", ["account", "check-name", lake, "-l", "eastus2"]],
    ["confirms", ["firewall", "create", "fw1", ...arm, "--start-ip", "10.0.0.1", "--end-ip", "10.0.0.9"]],
    ["confirms", ["firewall", "update", "fw1", ...arm, "--end-ip", "10.0.0.19"]],
    ["data", ["firewall", "show", "fw1", ...arm]],
    ["data", ["firewall", "list", ...arm]],
    ["confirms", ["firewall", "delete", "fw1", ...arm]],
    ["confirms", fs("mkdir", dir)],
    ["confirms", fs("put", local, `${dir}/a.txt`)],
    ["confirms", fs("get", `${dir}/a.txt`, path.join(tempDir(), "a.txt"))],
    ["data", fs("ls", dir)],
    ["data", fs("stat", `${dir}/a.txt`)],
    ["data", fs("cat", `${dir}/a.txt`)],
    ["data", fs("head", `${dir}/a.txt`)],
    ["data", fs("tail", `${dir}/a.txt`)],
    ["data", fs("du", dir)],
    ["confirms", fs("touch", `${dir}/b.txt`)],
    ["confirms", fs("mv", `${dir}/b.txt`, `${dir}/c.txt`)],
    ["confirms", fs("concat", `${dir}/all.txt`, `${dir}/a.txt`, `${dir}/c.txt`)],
    ["confirms", fs("chmod", "-R", "g-w", dir)],
    ["confirms", fs("chown", ":g1", `${dir}/all.txt`)],
    ["confirms", fs("expiry", "set", `${dir}/all.txt`, "--in", "7d")],
    ["confirms", fs("expiry", "remove", `${dir}/all.txt`)],
    ["data", fs("acl", "get", dir)],
    ["confirms", fs("acl", "modify", "user:1111:r-x", dir)],
    ["confirms", fs("acl", "remove", "user:1111", dir)],
    ["confirms", fs("acl", "remove-all", dir)],
    ["confirms", fs("rm", "-r", dir)],
    ["confirms", ["account", "delete", lake, "-g", rg, "--yes"]],
    ["confirms", ["group", "delete", rg, "--yes"]],
    ["confirms", ["profile", "remove", profile]],
  ];
}

describe("adl follows the conventions of gh, az and hdfs dfs (built binary)", () => {
  const env = emulatorEnv({ ADL_ACCOUNT: "testacct" });
  const adl = (args: string[]) => runAdl(args, { env });

  it("confirms in one line on stderr, keeps stdout for data, and says nothing with -q", async () => {
    const local = path.join(tempDir(), "a.txt");
    writeFileSync(local, "alpha\n");
    const plain = everyCommand(local);
    const quiet = everyCommand(local);
    for (const [i, [kind, args]] of plain.entries()) {
      // The same step on other names, with -q, at the same time (a data command prints nothing on stderr anyway).
      const quietArgs = kind === "confirms" ? [...quiet[i]![1], "-q"] : undefined;
      const [run, hushed] = await Promise.all([adl(args), quietArgs && adl(quietArgs)]);
      const what = `adl ${args.join(" ")}: ${run.stderr}`;
      expect(run.code, what).toBe(0);
      if (kind === "confirms") expect(run.stderr, what).toMatch(/^[^\n]+\n$/);
      else {
        expect(run.stderr, what).toBe("");
        expect(run.stdout, what).not.toBe("");
      }
      if (!hushed || !quietArgs) continue;
      const quietly = `adl ${quietArgs.join(" ")}: ${hushed.stderr}`;
      expect(hushed.code, quietly).toBe(0);
      expect(hushed.stderr, quietly).toBe("");
      expect(hushed.stdout.split("\n").length, quietly).toBe(run.stdout.split("\n").length);
    }
  }, 300_000);

  it("sums a transfer up in one line; the summary is for -v and --json", async () => {
    const local = path.join(tempDir(), "sum.bin");
    writeFileSync(local, randomBytes(1500));
    const remote = `/${unique("sum-")}.bin`;
    const put = await adl(["fs", "put", local, remote]);
    expect(put).toMatchObject({ code: 0, stdout: "", stderr: `Uploaded 1.5 KiB to ${remote}.\n` });
    const verbose = await adl(["fs", "get", remote, path.join(tempDir(), "x.bin"), "-v"]);
    expect(verbose.code).toBe(0);
    expect(verbose.stdout).toMatch(
      /^source: +\/sum-.*\ndestination: .*\nfiles: +1\nbytes: +1500 \(1\.5 KiB\)\n/,
    );
    expect(verbose.stderr).toMatch(/^Downloaded 1\.5 KiB to .*x\.bin\.\n$/);
    const asJson = await adl(["fs", "put", local, remote, "--overwrite", "--json"]);
    expect(json(asJson)).toMatchObject({ source: local, destination: remote, bytes: 1500 });
    expect(asJson.stderr).toBe("");
  });

  it("shows put's help for `adl help fs put`, with defaults, examples, then the global options", async () => {
    const direct = await adl(["fs", "put", "--help"]);
    const routed = await adl(["help", "fs", "put"]);
    const inGroup = await adl(["fs", "help", "put"]);
    expect(direct.code).toBe(0);
    expect(routed).toEqual(direct);
    expect(inGroup).toEqual(direct);
    const text = direct.stdout;
    expect(text).toMatch(/^Usage: adl fs put \[options\] <local> <remote>\n/);
    expect(text).toMatch(/--threads <n> +parallel requests \(default: 8\)/);
    expect(text).toMatch(/--chunk-size <size> .*\(default: 64M\)/);
    const at = (heading: string) => text.indexOf(`\n${heading}\n`);
    expect(at("Options:")).toBeGreaterThan(0);
    expect(at("Examples:")).toBeGreaterThan(at("Options:"));
    expect(at("Global options:")).toBeGreaterThan(at("Examples:"));
    const wrong = await adl(["help", "fs", "putt"]);
    expect(wrong).toMatchObject({ code: 2, stdout: "" });
    expect(wrong.stderr).toMatch(/^adl: unknown command 'fs putt'\. Hint: Run `adl fs --help`/);
  });

  it("lists sizes and ids for a person on a terminal, and exactly for scripts", async () => {
    const dir = `/${unique("ls-")}`;
    const local = path.join(tempDir(), "f.bin");
    writeFileSync(local, randomBytes(5 * 1024 * 1024 + 17));
    expect((await adl(["fs", "put", local, `${dir}/f.bin`])).code).toBe(0);
    expect((await adl(["fs", "mkdir", `${dir}/empty`])).code).toBe(0);

    const terminal = await runAdlInTerminal(["fs", "ls", dir], { terminal: ["stdout"], columns: 80, env });
    expect(terminal.code).toBe(0);
    const lines = terminal.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^PERMISSION +OWNER +GROUP +SIZE +MODIFIED \(UTC\) +PATH$/);
    expect(terminal.stdout).toMatch(
      / [0-9a-f]{8}… +[0-9a-f]{8}… +5\.0 MiB +\d{4}-\d\d-\d\d \d\d:\d\d +\/ls-/,
    );
    for (const line of lines) expect(stripVTControlCharacters(line).length, line).toBeLessThanOrEqual(80);

    const piped = await adl(["fs", "ls", dir]);
    const guid = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    expect(piped.stdout).toMatch(new RegExp(` ${guid} +${guid} +5242897 +`));
    expect((await adl(["fs", "ls", dir, "-H"])).stdout).toMatch(new RegExp(` ${guid} +${guid} +5\\.0 MiB +`));
    const exact = await runAdlInTerminal(["fs", "ls", dir, "--no-human"], { terminal: ["stdout"], env });
    expect(exact.stdout).toMatch(/… +5242897 +/);
    const asJson = await runAdlInTerminal(["fs", "ls", dir, "--json"], { terminal: ["stdout"], env });
    const entries = json<Array<{ length: number; owner: string }>>(asJson);
    expect(entries.find((e) => e.length === 5242897)?.owner).toMatch(new RegExp(`^${guid}$`));

    const empty = await adl(["fs", "ls", `${dir}/empty`]);
    expect(empty).toMatchObject({ code: 0, stdout: "", stderr: `${dir}/empty is empty.\n` });
    const emptyJson = await adl(["fs", "ls", `${dir}/empty`, "--json"]);
    expect(emptyJson).toMatchObject({ code: 0, stdout: "[]\n", stderr: "" });
  });

  it("changes permissions with symbolic modes against the current ones", async () => {
    const dir = `/${unique("chmod-")}`;
    expect((await adl(["fs", "mkdir", `${dir}/sub`])).code).toBe(0);
    expect((await adl(["fs", "touch", `${dir}/sub/f`])).code).toBe(0);
    const permission = async (p: string) =>
      json<{ permission: string }>(await adl(["fs", "stat", p, "--json"])).permission;
    expect((await adl(["fs", "chmod", "-R", "640", dir])).code).toBe(0);

    const one = await adl(["fs", "chmod", "u+x,o=r", `${dir}/sub/f`]);
    expect(one).toMatchObject({ code: 0, stderr: "Set permission 744 (u+x,o=r) on 1 path.\n" });
    expect(await permission(`${dir}/sub/f`)).toBe("744");

    // X: execute for the directories, and for the file only because it has some execute bit now.
    const tree = await adl(["fs", "chmod", "-R", "a+rX,g-w", dir, "--json"]);
    expect(json(tree)).toEqual({ mode: "a+rX,g-w", permission: "755", paths: [dir], count: 3 });
    expect(await permission(dir)).toBe("755");
    expect(await permission(`${dir}/sub`)).toBe("755");
    expect(await permission(`${dir}/sub/f`)).toBe("755");
    expect((await adl(["fs", "chmod", "+t", dir])).code).toBe(0);
    expect(await permission(dir)).toBe("1755");

    const bad = await adl(["fs", "chmod", "u+q", dir]);
    expect(bad).toMatchObject({ code: 2, stdout: "" });
    expect(bad.stderr).toMatch(/^adl: mode: expected an octal mode like 750 or a symbolic one like u\+x/);
  });

  it("refuses a relative remote path, before any request, with the absolute one as the hint", async () => {
    for (const args of [
      ["fs", "ls", "data"],
      ["fs", "stat", "data/x.csv"],
      ["fs", "put", "/etc/hostname", "data/x.csv"],
      ["fs", "get", "data/x.csv", "x.csv"],
      ["fs", "rm", "-r", "data"],
      ["fs", "chmod", "u+x", "data/x.csv"],
    ]) {
      const run = await adl([...args, "--debug"]);
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr).toMatch(
        /^adl: remote path '(data|data\/x\.csv)' is relative: an account has no working directory\. Hint: Use \/(data|data\/x\.csv)\.\n$/,
      );
    }
    const dotted = await adl(["fs", "cat", "/y", "./x.csv"]);
    expect(dotted.stderr).toMatch(/'\.\/x\.csv' is relative.*Hint: Use \/x\.csv\./);
    const error = json<{ error: { code: string; hint: string } }>(await adl(["fs", "ls", "data", "--json"]));
    expect(error.error).toMatchObject({ code: "USAGE", hint: "Use /data." });
  });

  it("keeps percent, rate and ETA in a transfer bar on a 60-column terminal", async () => {
    const local = path.join(tempDir(), "bar.bin");
    writeFileSync(local, randomBytes(48 * 1024 * 1024));
    const run = await runAdlInTerminal(
      ["fs", "put", local, `/${unique("bar-")}.bin`, "--chunk-size", "4M", "--threads", "2"],
      { terminal: ["stderr"], columns: 60, env },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe("");
    // Each redraw moves the cursor to column 1 (readline's cursorTo: CSI 1 G), then writes the line.
    const frames = stripVTControlCharacters(run.stderr.replaceAll("\u001b[1G", "\n"))
      .split(/[\r\n]+/)
      .filter((f) => f.includes("%"));
    expect(frames.length).toBeGreaterThan(0);
    for (const frame of frames) {
      expect(frame.length, frame).toBeLessThan(60);
      expect(frame, frame).toMatch(/ \d{1,3}% .*\/s/);
    }
    expect(frames.at(-1)).toMatch(/^Uploading [█░]+ 100% [\d.]+ [KMG]?i?B\/s \| ETA /);
    expect(run.stderr).toMatch(/Uploaded 48\.0 MiB to \//);
  });

  it("--debug shows the token request, redacted, and not msal-node's client-info warning", async () => {
    const { connection } = sharedEmulator();
    // The earlier tests filled the token cache; without it, this run must ask for a token.
    const run = await adl(["fs", "ls", "/", "--debug", "--no-token-cache"]);
    expect(run.code).toBe(0);
    const token = run.stderr.split("\n").find((l) => /POST https:\/\/\S+\/oauth2\/v2\.0\/token/.test(l));
    expect(token).toMatch(
      new RegExp(
        `^\\[adl\\] verbose: POST .* client_id=${connection.clientId}&scope=https://datalake\\.azure\\.net//\\.default&grant_type=client_credentials&client_secret=REDACTED -> 200 \\(request id [0-9a-f-]{36}\\)$`,
      ),
    );
    expect(run.stderr).not.toMatch(/No client info|x-client-/);
    expect(findSecrets(run.stdout + run.stderr, knownSecrets(connection))).toEqual([]);
  });

  it("keeps tokens, and nothing else secret, in the token cache every command above filled", () => {
    const root = path.join(env.ADL_CONFIG_DIR!, "token-cache");
    const files = readdirSync(root, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".json"));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const text = readFileSync(path.join(root, file), "utf8");
      const found = findSecrets(text, knownSecrets(sharedEmulator().connection), { tokensAllowed: true });
      expect(found, file).toEqual([]);
    }
  });
});
