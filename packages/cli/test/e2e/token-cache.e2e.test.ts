import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { findSecrets, knownSecrets, sharedEmulator } from "@adlkit/testkit";
import { describe, expect, it } from "vitest";
import { json, runAdl } from "../helpers.js";
import { emulatorEnv } from "./env.js";

/** `--debug` logs every token request msal-node sends; a run served from the cache logs none. */
const TOKEN_POST = /verbose: POST https:\/\/\S+\/oauth2\/v2\.0\/token/;
const DISCOVERY = /openid-configuration|discovery\/instance/;

/** Every cache file under a config directory, with its path. */
function cacheFiles(configDir: string): string[] {
  const root = path.join(configDir, "token-cache");
  if (!existsSync(root)) return [];
  return readdirSync(root).flatMap((p) => readdirSync(path.join(root, p)).map((f) => path.join(root, p, f)));
}

/** A config directory with two profiles of the shared emulator (same tenant and app), `one` current. */
async function twoProfiles(): Promise<Record<string, string>> {
  const env = emulatorEnv({ ADL_ACCOUNT: "testacct" });
  const dir = path.dirname(sharedEmulator().connectionFile);
  for (const name of ["one", "two"]) {
    const add = await runAdl(["profile", "add", name, "--from-emulator", dir], { env });
    expect(add.code, add.stderr).toBe(0);
  }
  return env;
}

describe("adl keeps tokens between runs (built binary)", () => {
  it("asks for a token once, then serves later runs from an owner-only file with no secret in it", async () => {
    const env = await twoProfiles();
    const first = await runAdl(["fs", "ls", "/", "--debug"], { env });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(TOKEN_POST);
    expect(first.stderr).not.toMatch(DISCOVERY);
    for (const command of [
      ["fs", "ls", "/"],
      ["fs", "stat", "/"],
    ]) {
      const again = await runAdl([...command, "--debug"], { env });
      expect(again.code, again.stderr).toBe(0);
      expect(again.stderr).not.toMatch(TOKEN_POST);
      expect(again.stderr).not.toMatch(DISCOVERY);
    }
    const files = cacheFiles(env.ADL_CONFIG_DIR!);
    expect(files).toHaveLength(1);
    expect(path.basename(path.dirname(files[0]!))).toBe("one");
    expect(statSync(files[0]!).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(files[0]!)).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(env.ADL_CONFIG_DIR!, "token-cache")).mode & 0o777).toBe(0o700);
    const text = readFileSync(files[0]!, "utf8");
    const secrets = knownSecrets(sharedEmulator().connection);
    expect(findSecrets(text, secrets, { tokensAllowed: true })).toEqual([]);
  });

  it("never serves one profile's tokens to another", async () => {
    const env = await twoProfiles();
    const posts = async (...args: string[]) => {
      const run = await runAdl(["fs", "ls", "/", "--debug", ...args], { env });
      expect(run.code, run.stderr).toBe(0);
      return TOKEN_POST.test(run.stderr);
    };
    expect(await posts()).toBe(true); // profile one (current)
    expect(await posts("--profile", "two")).toBe(true);
    expect(await posts("--profile", "two")).toBe(false);
    expect(await posts()).toBe(false);
    expect(
      cacheFiles(env.ADL_CONFIG_DIR!)
        .map((f) => path.basename(path.dirname(f)))
        .sort(),
    ).toEqual(["one", "two"]);
  });

  it("--no-token-cache neither reads nor writes the cache", async () => {
    const env = await twoProfiles();
    for (let i = 0; i < 2; i++) {
      const run = await runAdl(["fs", "ls", "/", "--debug", "--no-token-cache"], { env });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toMatch(TOKEN_POST);
    }
    expect(cacheFiles(env.ADL_CONFIG_DIR!)).toEqual([]);
    await runAdl(["fs", "ls", "/"], { env });
    const ignored = await runAdl(["fs", "ls", "/", "--debug", "--no-token-cache"], { env });
    expect(ignored.stderr).toMatch(TOKEN_POST);
  });

  it("renews a kept token near its expiry", async () => {
    const env = await twoProfiles();
    await runAdl(["fs", "ls", "/"], { env });
    const [file] = cacheFiles(env.ADL_CONFIG_DIR!);
    const cache = JSON.parse(readFileSync(file!, "utf8"));
    const [key] = Object.keys(cache.AccessToken);
    const old = cache.AccessToken[key!].secret as string;
    // Time passes: 200 s left is inside the five-minute renewal window.
    cache.AccessToken[key!].expires_on = String(Math.floor(Date.now() / 1000) + 200);
    writeFileSync(file!, JSON.stringify(cache));
    const run = await runAdl(["fs", "ls", "/", "--debug"], { env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(TOKEN_POST);
    const renewed = JSON.parse(readFileSync(file!, "utf8"));
    expect(Object.values<{ secret: string }>(renewed.AccessToken).map((t) => t.secret)).not.toContain(old);
  });

  it("`profile logout` forgets a profile's tokens; --all every profile's; remove and re-add forget too", async () => {
    const env = await twoProfiles();
    await runAdl(["fs", "ls", "/"], { env });
    await runAdl(["fs", "ls", "/", "--profile", "two"], { env });
    const logout = await runAdl(["profile", "logout"], { env });
    expect(logout).toMatchObject({ code: 0, stdout: "" });
    expect(logout.stderr).toBe("Removed the cached tokens of profile one (1 file).\n");
    expect(cacheFiles(env.ADL_CONFIG_DIR!).map((f) => path.basename(path.dirname(f)))).toEqual(["two"]);
    const relogin = await runAdl(["fs", "ls", "/", "--debug"], { env });
    expect(relogin.stderr).toMatch(TOKEN_POST);

    const named = json<{ profile: string; removedFiles: number }>(
      await runAdl(["profile", "logout", "two", "--json"], { env }),
    );
    expect(named).toEqual({ profile: "two", all: false, removedFiles: 1 });
    const unknown = await runAdl(["profile", "logout", "nope"], { env });
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toMatch(/no profile named 'nope'/);

    await runAdl(["fs", "ls", "/", "--profile", "two"], { env });
    const all = await runAdl(["profile", "logout", "--all"], { env });
    expect(all.stderr).toBe("Removed the cached tokens of every profile (2 files).\n");
    expect(cacheFiles(env.ADL_CONFIG_DIR!)).toEqual([]);

    // Replacing a profile (a new secret, say) or removing it drops the tokens it had.
    await runAdl(["fs", "ls", "/"], { env });
    await runAdl(["fs", "ls", "/", "--profile", "two"], { env });
    const dir = path.dirname(sharedEmulator().connectionFile);
    expect((await runAdl(["profile", "add", "one", "--from-emulator", dir], { env })).code).toBe(0);
    expect((await runAdl(["profile", "remove", "two"], { env })).code).toBe(0);
    expect(cacheFiles(env.ADL_CONFIG_DIR!)).toEqual([]);
  });

  it("warns about a corrupt cache file, works anyway, and replaces the file", async () => {
    const env = await twoProfiles();
    await runAdl(["fs", "ls", "/"], { env });
    const [file] = cacheFiles(env.ADL_CONFIG_DIR!);
    writeFileSync(file!, "{ not json eyJhbGciOi");
    const run = await runAdl(["fs", "ls", "/"], { env });
    expect(run.code, run.stderr).toBe(0);
    // Said once, naming the file and quoting none of it.
    expect(run.stderr.split("\n").filter((l) => l.startsWith("adl: warning:"))).toEqual([
      `adl: warning: the token cache ${file} is not JSON; ignoring it (the next token replaces it).`,
    ]);
    expect(() => JSON.parse(readFileSync(file!, "utf8"))).not.toThrow();
    const next = await runAdl(["fs", "ls", "/", "--debug"], { env });
    expect(next.stderr).not.toMatch(/warning/);
    expect(next.stderr).not.toMatch(TOKEN_POST);
  });

  it("stays valid when several processes fill it at once", async () => {
    const env = await twoProfiles();
    const runs = await Promise.all(
      Array.from({ length: 5 }, (_, i) => runAdl(i % 2 ? ["fs", "ls", "/"] : ["group", "list"], { env })),
    );
    for (const run of runs) {
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).not.toMatch(/warning/);
    }
    const [file, ...others] = cacheFiles(env.ADL_CONFIG_DIR!);
    expect(others).toEqual([]); // no temporary file left behind
    expect(() => JSON.parse(readFileSync(file!, "utf8"))).not.toThrow();
    const after = await runAdl(["fs", "ls", "/", "--debug"], { env });
    expect(after.code, after.stderr).toBe(0);
    expect(after.stderr).not.toMatch(/warning/);
  });
});
