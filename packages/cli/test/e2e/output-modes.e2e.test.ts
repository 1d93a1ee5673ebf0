import { readFileSync } from "node:fs";
import { findSecrets, knownSecrets, sharedEmulator } from "@adlkit/testkit";
import { describe, expect, it } from "vitest";
import { json, runAdl } from "../helpers.js";
import { emulatorEnv, unique } from "./env.js";

const version = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }
).version;

describe("adl output modes and exit codes (built binary)", () => {
  it("prints the version, plain or as JSON", async () => {
    const plain = await runAdl(["--version"]);
    expect(plain).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: "" });
    const asJson = await runAdl(["--version", "--json"]);
    expect(asJson.code).toBe(0);
    expect(json(asJson)).toEqual({ version });
  });

  it("shows help on stdout with exit 0, and a bare group's help on stderr with exit 2", async () => {
    const help = await runAdl(["fs", "put", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: adl fs put");
    expect(help.stdout).toContain("$ adl fs put ./big.parquet /data/big.parquet");
    const bare = await runAdl(["account"]);
    expect(bare.code).toBe(2);
    expect(bare.stdout).toBe("");
    expect(bare.stderr).toContain("check-name");
  });

  it("exits 2 on a usage error, with one line naming the fix", async () => {
    const run = await runAdl(["fs", "ls", "--bogus"], { env: emulatorEnv() });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe("adl: unknown option '--bogus'. Hint: Run `adl fs ls --help` for usage.\n");
    const asJson = await runAdl(["group", "create", "rg", "--json"], { env: emulatorEnv() });
    expect(asJson.code).toBe(2);
    expect(json(asJson)).toMatchObject({ error: { code: "USAGE", exitCode: 2 } });
  });

  it("exits 3 when a resource or path is not there, with the request id under --verbose", async () => {
    const group = await runAdl(["group", "show", unique("missing-")], { env: emulatorEnv() });
    expect(group.code).toBe(3);
    expect(group.stderr).toMatch(/^adl: .*ResourceGroupNotFound.*\n$/);
    expect(group.stderr.split("\n")).toHaveLength(2);
    expect(group.stderr).not.toMatch(/request id/);

    const verbose = await runAdl(["fs", "stat", `/${unique("nothing-")}`, "-v", "-a", "testacct"], {
      env: emulatorEnv(),
    });
    expect(verbose.code).toBe(3);
    expect(verbose.stderr).toMatch(
      /GETFILESTATUS .* failed: path does not exist.*\(request id [0-9a-f-]{36}\)\n$/,
    );

    const asJson = await runAdl(["fs", "stat", "/nothing/here", "--json", "-a", "testacct"], {
      env: emulatorEnv(),
    });
    expect(asJson.code).toBe(3);
    const body = json<{ error: { code: string; requestId: string; exitCode: number } }>(asJson);
    expect(body.error).toMatchObject({ code: "PATH_NOT_FOUND", exitCode: 3 });
    expect(body.error.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("names the flag and the variable when credentials are missing", async () => {
    const run = await runAdl(["group", "list", "--cloud", "public"], {
      env: { HOME: "/nonexistent", ADL_CONFIG_DIR: "/nonexistent/adl" },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/no tenant .*: pass --tenant or set AZURE_TENANT_ID/);
  });

  it("keeps secrets and tokens out of every output mode, failing sign-ins included", async () => {
    const { connection } = sharedEmulator();
    const secrets = knownSecrets(connection);
    const wrong = "definitely-wrong-secret-value";
    const dir = `/${unique("canary-")}`;
    const runs = [
      await runAdl(["group", "list", "--json"], { env: emulatorEnv() }),
      await runAdl(["group", "list", "--verbose"], { env: emulatorEnv() }),
      await runAdl(["group", "list", "--debug"], { env: emulatorEnv() }),
      await runAdl(["fs", "mkdir", dir, "--debug", "--verbose", "-a", "testacct"], { env: emulatorEnv() }),
      await runAdl(["fs", "put", "-", `${dir}/f.txt`, "--debug", "--json", "-a", "testacct"], {
        env: emulatorEnv(),
        input: "canary\n",
      }),
      await runAdl(["fs", "ls", dir, "--debug", "--json", "-a", "testacct"], { env: emulatorEnv() }),
      // The real secret in play, but the sign-in fails (unknown tenant): it must not be echoed.
      await runAdl(
        [
          "group",
          "list",
          "--debug",
          "--verbose",
          "--tenant",
          "00000000-0000-0000-0000-000000000001",
          "--client-id",
          connection.clientId,
          "--client-secret",
          connection.clientSecret,
        ],
        { env: emulatorEnv() },
      ),
      // A malformed tenant is a usage error (2), found before any request.
      await runAdl(
        [
          "group",
          "list",
          "--json",
          "--debug",
          "--client-secret",
          connection.clientSecret,
          "--tenant",
          "not a tenant!",
        ],
        { env: emulatorEnv() },
      ),
      // A wrong secret: AADSTS7000215, with the secret given on the command line and in the environment.
      await runAdl(["group", "list", "--debug", "--verbose", "--client-secret", wrong], {
        env: emulatorEnv(),
      }),
      await runAdl(["fs", "ls", "/", "--json", "--debug", "-a", "testacct"], {
        env: emulatorEnv({ AZURE_CLIENT_SECRET: wrong }),
      }),
    ];
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0, 0, 0, 0, 1, 2, 1, 1]);
    expect(runs[2]!.stderr).toMatch(/\[adl\] verbose: GET https:\/\/localhost:\d+\/subscriptions\/.*-> 200/);
    expect(runs[8]!.stderr).toMatch(/AADSTS7000215/);
    for (const [i, run] of runs.entries()) {
      expect(findSecrets(run.stdout + run.stderr, [...secrets, wrong]), `run ${i}`).toEqual([]);
    }
    for (const i of [0, 4, 5, 7, 9]) json(runs[i]!);
  });
});
