import { describe, expect, it } from "vitest";
import { COMMANDS } from "./commands.js";
import { UsageError } from "./errors.js";
import { OTHER_FS_ARGS, parseArgs, REMOTE_ARGS } from "./parse-args.js";

type Case = {
  argv: string[];
  command: string;
  options?: Record<string, unknown>;
  globals?: Record<string, unknown>;
};

const runs: Case[] = [
  { argv: ["fs", "ls"], command: "fs ls", options: { path: undefined } },
  { argv: ["fs", "ls", "/data", "-R"], command: "fs ls", options: { path: "/data", recursive: true } },
  { argv: ["--json", "fs", "ls", "/"], command: "fs ls", globals: { json: true } },
  {
    argv: ["fs", "ls", "/", "--json", "-a", "lake1"],
    command: "fs ls",
    globals: { json: true, account: "lake1" },
  },
  {
    argv: ["fs", "put", "./x", "/y", "-t", "16", "--chunk-size", "8M", "--overwrite", "--resume"],
    command: "fs put",
    options: {
      local: "./x",
      remote: "/y",
      threads: 16,
      chunkSize: 8 * 1024 * 1024,
      overwrite: true,
      resume: true,
      directIo: true,
    },
  },
  {
    argv: ["fs", "put", "./x", "/y", "--no-direct-io"],
    command: "fs put",
    options: { local: "./x", remote: "/y", directIo: false },
  },
  {
    argv: ["fs", "get", "/y"],
    command: "fs get",
    options: { remote: "/y", local: undefined, directIo: true },
  },
  {
    argv: ["fs", "get", "/y", "./y", "--no-direct-io"],
    command: "fs get",
    options: { remote: "/y", local: "./y", directIo: false },
  },
  { argv: ["fs", "get", "/y", "-"], command: "fs get", options: { remote: "/y", local: "-" } },
  { argv: ["fs", "head", "/f"], command: "fs head", options: { path: "/f", bytes: 1024 } },
  { argv: ["fs", "tail", "-c", "4K", "/f"], command: "fs tail", options: { path: "/f", bytes: 4096 } },
  {
    argv: ["fs", "rm", "-rf", "/a", "/b"],
    command: "fs rm",
    options: { paths: ["/a", "/b"], recursive: true, force: true },
  },
  {
    argv: ["fs", "concat", "/all", "/p1", "/p2"],
    command: "fs concat",
    options: { destination: "/all", sources: ["/p1", "/p2"] },
  },
  {
    argv: ["fs", "chmod", "-R", "0750", "/d"],
    command: "fs chmod",
    options: { mode: "0750", paths: ["/d"], recursive: true },
  },
  {
    argv: ["fs", "expiry", "set", "/f", "--in", "7d"],
    command: "fs expiry set",
    options: { path: "/f", in: 7 * 86_400_000 },
  },
  {
    argv: ["fs", "acl", "remove-default", "-R", "/d"],
    command: "fs acl remove-default",
    options: { path: "/d", recursive: true },
  },
  { argv: ["fs", "test", "-d", "/d"], command: "fs test", options: { path: "/d", directory: true } },
  {
    argv: ["group", "create", "rg1", "-l", "eastus2", "--tag", "a=1", "--tag", "b=x=y"],
    command: "group create",
    options: { name: "rg1", location: "eastus2", tag: { a: "1", b: "x=y" } },
  },
  {
    argv: ["group", "delete", "rg1", "--yes", "--no-wait"],
    command: "group delete",
    options: { name: "rg1", yes: true, wait: false },
  },
  {
    argv: ["group", "delete", "rg1", "-y"],
    command: "group delete",
    options: { name: "rg1", yes: true, wait: true },
  },
  {
    argv: [
      "account",
      "create",
      "lake1",
      "-g",
      "rg1",
      "-l",
      "eastus2",
      "--tier",
      "Commitment_1TB",
      "--encryption",
      "off",
    ],
    command: "account create",
    options: {
      name: "lake1",
      resourceGroup: "rg1",
      location: "eastus2",
      tier: "Commitment_1TB",
      encryption: "Disabled",
      wait: true,
    },
  },
  { argv: ["account", "list"], command: "account list", options: { resourceGroup: undefined } },
  {
    argv: ["account", "check-name", "lake1", "-l", "eastus2"],
    command: "account check-name",
    options: { name: "lake1", location: "eastus2" },
  },
  {
    argv: [
      "firewall",
      "create",
      "rule1",
      "-g",
      "rg1",
      "-a",
      "lake1",
      "--start-ip",
      "1.1.1.1",
      "--end-ip",
      "1.1.1.2",
    ],
    command: "firewall create",
    options: { name: "rule1", resourceGroup: "rg1", startIp: "1.1.1.1", endIp: "1.1.1.2" },
    globals: { account: "lake1" },
  },
  {
    argv: ["trusted-idp", "list", "-g", "rg1"],
    command: "trusted-idp list",
    options: { resourceGroup: "rg1" },
  },
  {
    argv: ["profile", "add", "local", "--from-emulator", "./emu", "--use"],
    command: "profile add",
    options: { name: "local", fromEmulator: "./emu", use: true },
  },
  {
    argv: [
      "profile",
      "add",
      "p",
      "--tenant",
      "t",
      "--client-id",
      "c",
      "--client-secret",
      "s",
      "--cloud",
      "usgov",
      "--subscription",
      "sub",
    ],
    command: "profile add",
    globals: { tenant: "t", clientId: "c", clientSecret: "s", cloud: "usgov", subscription: "sub" },
  },
  { argv: ["emulator", "start"], command: "emulator start", options: { port: 8443, data: ".adl-emulator" } },
  { argv: ["emulator", "start", "--port", "0"], command: "emulator start", options: { port: 0 } },
  {
    argv: ["--managed-identity", "group", "list"],
    command: "group list",
    globals: { managedIdentity: true },
  },
  {
    argv: ["group", "list", "--managed-identity-client-id", "mi-client"],
    command: "group list",
    globals: { managedIdentityClientId: "mi-client" },
  },
  { argv: ["fs", "mkdir", "/d", "-q"], command: "fs mkdir", globals: { quiet: true } },
  { argv: ["--quiet", "fs", "ls"], command: "fs ls", globals: { quiet: true } },
  { argv: ["fs", "ls", "-H"], command: "fs ls", options: { human: true } },
  { argv: ["fs", "ls", "--no-human"], command: "fs ls", options: { human: false } },
  { argv: ["fs", "ls"], command: "fs ls", options: { human: undefined } },
  {
    argv: ["fs", "chmod", "a+rX,g-w", "/d"],
    command: "fs chmod",
    options: { mode: "a+rX,g-w", paths: ["/d"] },
  },
  {
    argv: ["-p", "prod", "--no-color", "-v", "--debug", "group", "list"],
    command: "group list",
    globals: { profile: "prod", color: false, verbose: true, debug: true },
  },
];

/** The error parseArgs throws for `argv` (undefined when it does not). */
function thrownBy(argv: string[]): unknown {
  try {
    parseArgs(argv);
  } catch (err) {
    return err;
  }
  return undefined;
}

describe("parseArgs", () => {
  it.each(runs)("$argv → $command", ({ argv, command, options, globals }) => {
    const parsed = parseArgs(argv);
    expect(parsed.kind).toBe("run");
    if (parsed.kind !== "run") return;
    expect(parsed.spec.name).toBe(command);
    if (options) for (const [k, v] of Object.entries(options)) expect(parsed.options[k], k).toEqual(v);
    if (globals)
      for (const [k, v] of Object.entries(globals))
        expect(parsed.globals[k as keyof typeof parsed.globals], k).toEqual(v);
  });

  it("defaults the global flags", () => {
    const parsed = parseArgs(["group", "list"]);
    expect(parsed.kind === "run" && parsed.globals).toEqual({
      json: false,
      quiet: false,
      verbose: false,
      debug: false,
      color: true,
      profile: undefined,
      cloud: undefined,
      emulator: undefined,
      tenant: undefined,
      clientId: undefined,
      clientSecret: undefined,
      certificate: undefined,
      subscription: undefined,
      account: undefined,
    });
  });

  const usage: Array<{ argv: string[]; message: RegExp }> = [
    { argv: ["fs", "ls", "--bogus"], message: /unknown option '--bogus'/ },
    { argv: ["fs", "lss"], message: /unknown command 'lss' \(Did you mean ls\?\)/ },
    { argv: ["fs", "put", "only-one"], message: /missing required argument 'remote'/ },
    { argv: ["fs", "put", "a", "b", "--threads", "0"], message: /--threads.*from 1 to 256/ },
    { argv: ["fs", "put", "a", "b", "--chunk-size", "lots"], message: /--chunk-size.*expected a size/ },
    { argv: ["fs", "expiry", "set", "/f", "--at", "tomorrow"], message: /expected an ISO date/ },
    { argv: ["group", "create", "rg1"], message: /required option '-l, --location <region>' not specified/ },
    { argv: ["group", "create", "rg1", "-l", "x", "--tag", "novalue"], message: /expected key=value/ },
    {
      argv: ["account", "create", "a", "-g", "g", "-l", "x", "--tier", "Huge"],
      message: /Allowed choices are Consumption/,
    },
    {
      argv: ["--cloud", "mars", "group", "list"],
      message: /Allowed choices are public, china, usgov, emulator/,
    },
    { argv: ["fs", "cat", "/f", "--json"], message: /--json does not apply/ },
    { argv: ["group", "show", "a", "b"], message: /too many arguments/ },
  ];
  it.each(usage)("rejects $argv", ({ argv, message }) => {
    const thrown = thrownBy(argv);
    expect(thrown).toBeInstanceOf(UsageError);
    expect((thrown as Error).message).toMatch(message);
    expect((thrown as UsageError).hint).toMatch(/Run `adl .*--help` for usage|Use `adl fs stat --json`/);
  });

  it("parses a command line against its command alone exactly as against the whole table", () => {
    const outcome = (argv: string[], table?: typeof COMMANDS) => {
      try {
        return parseArgs(argv, { version: "1.2.3", ...(table ? { table } : {}) });
      } catch (err) {
        return { thrown: String(err), hint: (err as UsageError).hint };
      }
    };
    const lines = [
      ...runs.map((r) => r.argv),
      ...usage.map((u) => u.argv),
      ["fs", "ls", "--help"],
      ["fs", "ls", "/", "--version"],
      ["fs", "acl", "set", "--help"],
      ["account", "list", "extra"],
      ["fs", "ls", "ls"],
    ];
    for (const argv of lines) expect(outcome(argv), argv.join(" ")).toEqual(outcome(argv, COMMANDS));
  });

  it("answers --version and -V", () => {
    expect(parseArgs(["--version"], { version: "1.2.3" })).toEqual({ kind: "version", text: "1.2.3" });
    expect(parseArgs(["-V"], { version: "1.2.3" })).toEqual({ kind: "version", text: "1.2.3" });
  });

  it("holds every argument of an fs command to remote or not", () => {
    for (const spec of COMMANDS.filter((c) => c.name.startsWith("fs "))) {
      for (const arg of spec.args ?? []) {
        const name = arg.replace(/[<>[\].]/g, "");
        expect(REMOTE_ARGS.has(name) || OTHER_FS_ARGS.has(name), `${spec.name} ${arg}`).toBe(true);
      }
    }
  });

  it.each([
    [["fs", "ls", "data"], "/data"],
    [["fs", "stat", "data/x.csv"], "/data/x.csv"],
    [["fs", "put", "./x.csv", "data/x.csv"], "/data/x.csv"],
    [["fs", "get", "data/x.csv", "./x.csv"], "/data/x.csv"],
    [["fs", "cat", "/a", "./b"], "/b"],
    [["fs", "mv", "/a", "b"], "/b"],
    [["fs", "concat", "/all", "/p1", "p2"], "/p2"],
    [["fs", "rm", "-r", "."], "/"],
    [["fs", "chmod", "750", "data"], "/data"],
    [["fs", "chown", ":g", "data"], "/data"],
    [["fs", "acl", "set", "user::rwx", "data"], "/data"],
    [["fs", "expiry", "set", "x.csv", "--in", "1d"], "/x.csv"],
  ])("refuses the relative remote path in %j, suggesting %s", (argv, absolute) => {
    const thrown = thrownBy(argv);
    expect(thrown).toBeInstanceOf(UsageError);
    expect((thrown as UsageError).message).toMatch(
      /^remote path '.*' is relative: an account has no working directory$/,
    );
    expect((thrown as UsageError).hint).toBe(`Use ${absolute}.`);
  });

  it("refuses an empty remote path and a URL of another kind, takes location URIs, and leaves local paths alone", () => {
    expect(() => parseArgs(["fs", "ls", ""])).toThrow(/a remote path is empty/);
    expect(() => parseArgs(["fs", "ls", "https://lake1.blob.core.windows.net/data/x"])).toThrow(
      /is not a location adl reads: write adl:\/\/ACCOUNT\/path \(Gen1\), abfss:\/\/FILESYSTEM@ACCOUNT\/path \(Gen2\)/,
    );
    expect(parseArgs(["fs", "ls", "adl://lake1.azuredatalakestore.net/data/x"]).kind).toBe("run");
    expect(parseArgs(["fs", "mv", "abfss://fs1@lake2/a", "abfss://fs1@lake2/b"]).kind).toBe("run");
    expect(parseArgs(["fs", "put", "data/x.csv", "/data/x.csv"]).kind).toBe("run");
    expect(parseArgs(["fs", "get", "/data/x.csv", "x.csv"]).kind).toBe("run");
    expect(parseArgs(["fs", "chmod", "u+x", "/x"]).kind).toBe("run");
  });
});
