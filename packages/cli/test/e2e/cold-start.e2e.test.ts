import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { findSecrets, knownSecrets, sharedEmulator } from "@adlkit/testkit";
import { describe, expect, it } from "vitest";
import { json, runAdl, tempDir } from "../helpers.js";
import { emulatorEnv, unique } from "./env.js";

/** What makes a one-shot `adl` start fast, checked on the built binary against the shared emulator. */
describe("adl from a cold process (built binary)", () => {
  const env = emulatorEnv({ ADL_ACCOUNT: "testacct" });
  const adl = (args: string[], input?: string) => runAdl(args, { env, ...(input ? { input } : {}) });
  /** The WebHDFS operations a --debug run sent, in order. */
  const ops = (stderr: string) => [...stderr.matchAll(/[?&]op=([A-Z]+)/g)].map((m) => m[1]);

  it("fs ls sends one LISTSTATUS and answers as with a GETFILESTATUS first: files list as themselves", async () => {
    const root = `/${unique("ls-one-")}`;
    expect((await adl(["fs", "mkdir", `${root}/d`, `${root}/empty`])).code).toBe(0);
    expect((await adl(["fs", "put", "-", `${root}/f.txt`], "0123456789")).code).toBe(0);

    const dir = await adl(["fs", "ls", root, "--json", "--debug"]);
    expect(dir.code, dir.stderr).toBe(0);
    expect(ops(dir.stderr)).toEqual(["LISTSTATUS"]);
    expect(json<Array<{ path: string }>>(dir).map((s) => s.path)).toEqual([
      `${root}/d`,
      `${root}/empty`,
      `${root}/f.txt`,
    ]);

    const file = await adl(["fs", "ls", `${root}/f.txt`, "--json", "--debug"]);
    expect(ops(file.stderr)).toEqual(["LISTSTATUS"]);
    const stat = json<Record<string, unknown>>(await adl(["fs", "stat", `${root}/f.txt`, "--json"]));
    expect(json(file)).toEqual([stat]);
    expect((await adl(["fs", "ls", `${root}//f.txt`])).stdout).toMatch(
      / 10 +\S+ \S+ +\/ls-one-\w+\/f\.txt\n$/,
    );

    expect(await adl(["fs", "ls", `${root}/empty/`])).toMatchObject({
      code: 0,
      stdout: "",
      stderr: `${root}/empty is empty.\n`,
    });
    // A missing path: the same answer as `fs stat`, before any output.
    const missing = await adl(["fs", "ls", `${root}/nope`]);
    expect(missing).toMatchObject({
      code: 3,
      stdout: "",
      stderr: `adl: ${root}/nope does not exist [PATH_NOT_FOUND]\n`,
    });
    const missingJson = json<{ error: { code: string } }>(await adl(["fs", "ls", `${root}/nope`, "--json"]));
    expect(missingJson.error.code).toBe("PATH_NOT_FOUND");
    // -R still asks what the path is first (a file is listed alone, a directory walked).
    const recursive = await adl(["fs", "ls", "-R", `${root}/f.txt`, "--json", "--debug"]);
    expect(ops(recursive.stderr)).toEqual(["GETFILESTATUS"]);
    expect(json(recursive)).toEqual([stat]);
  });

  it("signs a certificate credential's assertion in the bundle (jsonwebtoken is evaluated on first use)", async () => {
    const { connection } = sharedEmulator();
    const pem = path.join(tempDir(), "client.pem");
    writeFileSync(
      pem,
      readFileSync(connection.clientCertificatePath, "utf8") +
        readFileSync(connection.clientPrivateKeyPath, "utf8"),
      { mode: 0o600 },
    );
    const run = await adl(["fs", "ls", "/", "--certificate", pem, "--no-token-cache", "--debug"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/POST \S+\/oauth2\/v2\.0\/token\S* .*client_assertion=REDACTED.* -> 200 /);
    expect(findSecrets(run.stdout + run.stderr, knownSecrets(connection))).toEqual([]);
  });

  it("keeps compiled code in an owner-only directory per adl version under the config directory, with no secret", async () => {
    const fresh = emulatorEnv({ ADL_ACCOUNT: "testacct" });
    const root = path.join(fresh.ADL_CONFIG_DIR!, "compile-cache");
    // An older version's cache goes when a new version makes its own.
    mkdirSync(path.join(root, "0.0.1-old"), { recursive: true });
    writeFileSync(path.join(root, "0.0.1-old", "entry"), "old");
    expect((await runAdl(["fs", "ls", "/"], { env: fresh })).code).toBe(0);
    const version = (await adl(["--version"])).stdout.trim();
    expect(readdirSync(root)).toEqual([version]);
    expect(statSync(root).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(root, version)).mode & 0o777).toBe(0o700);
    const files = readdirSync(path.join(root, version), { recursive: true, encoding: "utf8" }).filter((f) =>
      statSync(path.join(root, version, f)).isFile(),
    );
    expect(files.length).toBeGreaterThan(0);
    const secrets = knownSecrets(sharedEmulator().connection);
    for (const f of files) {
      const text = readFileSync(path.join(root, version, f), "latin1");
      expect(findSecrets(text, secrets), f).toEqual([]);
    }
  });
});
