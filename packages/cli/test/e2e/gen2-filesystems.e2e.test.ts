import { beforeAll, describe, expect, it } from "vitest";
import { json, runAdl } from "../helpers.js";
import { emulatorEnv, unique } from "./env.js";

interface Listed {
  name: string;
  location: string;
  lastModified: string | null;
}

/** `adl storage-account filesystem create|list|delete` against a storage account made with `adl`. */
describe("adl storage-account filesystem", () => {
  const env = emulatorEnv();
  const adl = (...args: string[]) => runAdl(args, { env });
  const account = unique("g2fss");

  beforeAll(async () => {
    const rg = unique("rg-");
    expect((await adl("group", "create", rg, "-l", "eastus2")).code).toBe(0);
    const created = await adl("storage-account", "create", account, "-g", rg, "-l", "eastus2");
    expect(created.code, created.stderr).toBe(0);
  });

  it("creates, lists and deletes filesystems; delete needs --yes and names what it deletes", async () => {
    const empty = await adl("storage-account", "filesystem", "list", account);
    expect(empty).toMatchObject({ code: 0, stdout: "" });
    expect(empty.stderr).toMatch(`Storage account ${account} has no filesystems`);

    for (const name of ["raw", "raw-2024", "curated"]) {
      const made = await adl("storage-account", "filesystem", "create", account, name, "--json");
      expect(made.code, made.stderr).toBe(0);
      expect(json(made)).toEqual({ account, name, location: `abfss://${name}@${account}/`, created: true });
    }
    const again = await adl("storage-account", "filesystem", "create", account, "raw");
    expect(again).toMatchObject({ code: 0, stderr: `Filesystem abfss://raw@${account}/ already exists.\n` });

    const listed = json<Listed[]>(await adl("storage-account", "filesystem", "list", account, "--json"));
    expect(listed.map((f) => [f.name, f.location])).toEqual([
      ["curated", `abfss://curated@${account}/`],
      ["raw", `abfss://raw@${account}/`],
      ["raw-2024", `abfss://raw-2024@${account}/`],
    ]);
    expect(Date.parse(listed[0]?.lastModified ?? "")).toBeGreaterThan(Date.now() - 3600_000);
    const prefixed = await adl("storage-account", "filesystem", "list", account, "--prefix", "raw");
    expect(prefixed.stdout).toMatch(/^NAME +LOCATION +MODIFIED\n/);
    expect(
      prefixed.stdout
        .trim()
        .split("\n")
        .slice(1)
        .map((l) => l.split(/ +/)[0]),
    ).toEqual(["raw", "raw-2024"]);

    // A filesystem made here is the one the fs commands take.
    expect(
      (await runAdl(["fs", "put", "-", `abfss://raw@${account}/in/a.txt`], { env, input: "a" })).code,
    ).toBe(0);

    const unguarded = await adl("storage-account", "filesystem", "delete", account, "raw");
    expect(unguarded.code).toBe(2);
    expect(unguarded.stderr).toMatch(
      `deleting filesystem abfss://raw@${account}/ and everything in it cannot be undone: pass --yes`,
    );
    expect((await adl("fs", "test", "-e", `abfss://raw@${account}/in/a.txt`)).code).toBe(0);
    const deleted = await adl("storage-account", "filesystem", "delete", account, "raw", "--yes");
    expect(deleted).toMatchObject({
      code: 0,
      stderr: `Deleted filesystem abfss://raw@${account}/ and everything in it.\n`,
    });
    const after = json<Listed[]>(await adl("storage-account", "filesystem", "list", account, "--json"));
    expect(after.map((f) => f.name)).toEqual(["curated", "raw-2024"]);
    const twice = await adl("storage-account", "filesystem", "delete", account, "raw", "--yes", "--json");
    expect(twice.code).toBe(3);
    expect(json<{ error: { code: string } }>(twice).error.code).toBe("FILESYSTEM_NOT_FOUND");
  });

  it("refuses bad names before any request, and says when the storage account does not exist", async () => {
    const badFs = await adl("storage-account", "filesystem", "create", account, "Bad_FS");
    expect(badFs.code).toBe(2);
    expect(badFs.stderr).toMatch(/FILESYSTEM: 'Bad_FS' is not a filesystem name/);
    const badAccount = await adl("storage-account", "filesystem", "list", "No-Such");
    expect(badAccount.code).toBe(2);
    expect(badAccount.stderr).toMatch(/ACCOUNT: 'No-Such' is not a valid storage account name/);
    const missing = unique("nosuch");
    for (const args of [
      ["list", missing],
      ["create", missing, "raw"],
      ["delete", missing, "raw", "--yes"],
    ]) {
      const run = await adl("storage-account", "filesystem", ...args, "--json");
      expect(run.code, args.join(" ")).toBe(3);
      expect(json<{ error: { code: string; message: string } }>(run).error).toMatchObject({
        code: "ACCOUNT_NOT_FOUND",
        message: expect.stringContaining(`storage account ${missing} not found`),
      });
    }
  });
});
