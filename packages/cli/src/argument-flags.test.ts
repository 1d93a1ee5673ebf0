import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createArmClient } from "@adlkit/arm-client";
import { ClientSecretCredential } from "@adlkit/auth";
import { createFsClient } from "@adlkit/fs-client";
import { describe, expect, it } from "vitest";
import { commandLineName, SET_BY_ADL } from "./argument-flags.js";
import { describeError } from "./errors.js";

const PACKAGES = fileURLToPath(new URL("../../", import.meta.url));
const LIBRARIES = ["core", "auth", "arm-client", "fs-client", "bulk-io"];

/** The functions through which the libraries name a rejected argument (InvalidArgumentError's `argument`). */
const NAMING_CALL =
  /\b(?:invalidArgument|InvalidArgumentError|fail|requireArgument|checkAccountName|integerInRange|positiveInteger|v\.\w+)\(|\bargument = /g;
const LITERAL = /"([^"\n]*)"/g;

/**
 * Every argument name written as a literal where a library names a rejected argument: in the call (up to its
 * first `;` or `{`) or as a validator's default `argument = "…"`. Names built at run time (`${base}.${key}`)
 * are the dotted children of a literal one, which the table resolves through their parents.
 */
function libraryArguments(): Map<string, string> {
  const found = new Map<string, string>();
  for (const pkg of LIBRARIES) {
    const dir = path.join(PACKAGES, pkg, "src");
    for (const file of readdirSync(dir, { recursive: true }) as string[]) {
      if (!file.endsWith(".ts") || file.endsWith(".test.ts")) continue;
      const text = readFileSync(path.join(dir, file), "utf8");
      for (const call of text.matchAll(NAMING_CALL)) {
        // Template literals are messages (`must be "sha256", got …`), not names: left out first.
        const rest = text.slice(call.index + call[0].length, call.index + 1000).replace(/`[^`]*`/g, "``");
        const region = rest.slice(0, rest.search(/[;{]/));
        for (const [, literal] of region.matchAll(LITERAL)) {
          // An argument name: `concurrency`, `options.cloud`, `parameters.properties.newTier`; not a value
          // (`'UserManaged'`, starting upper-case), a credential's name or a sentence.
          if (/^[a-z][A-Za-z0-9]*(?:\.[a-z][A-Za-z0-9]*)*$/.test(literal!))
            found.set(literal!, `${pkg}/src/${file}`);
        }
      }
    }
  }
  return found;
}

describe("library arguments on the command line", () => {
  it("finds the arguments the libraries name (the scan itself works)", () => {
    const names = [...libraryArguments().keys()];
    expect(names).toEqual(
      expect.arrayContaining([
        "concurrency",
        "chunkSize",
        "resourceGroupName",
        "tenantId",
        "parameters.tags",
      ]),
    );
    expect(names.length).toBeGreaterThan(40);
  });

  it("knows every one of them: a flag, a command's argument, or one adl sets itself", () => {
    const unknown = [...libraryArguments()].filter(([argument]) => commandLineName(argument) === undefined);
    // A new argument in a library ends up here: say in argument-flags.ts which flag sets it, or SET_BY_ADL.
    expect(unknown).toEqual([]);
  });

  it("resolves names built at run time through their parents", () => {
    expect(commandLineName("parameters.tags.env")).toBe("--tag");
    expect(commandLineName("options.cloud.resourceManagerEndpoint")).toBe("--cloud");
    expect(commandLineName("retry.limit")).toBe(SET_BY_ADL);
    expect(commandLineName("parameters.properties.firewallRules[0].name")).toBe(SET_BY_ADL);
    expect(commandLineName("noSuchThing")).toBeUndefined();
    expect(commandLineName("toString")).toBeUndefined();
  });

  it("names the flag for a real option error of each library", async () => {
    const credential = new ClientSecretCredential("00000000-0000-0000-0000-000000000001", "c", "s");
    const fsError = (options: object) =>
      (() => {
        try {
          createFsClient({ credential, accountName: "lake1", ...options });
        } catch (err) {
          return describeError(err, { command: "fs put" });
        }
      })();
    expect(fsError({ concurrency: 0 })).toMatchObject({
      code: "INVALID_ARGUMENT",
      message: "--threads must be an integer between 1 and 256, got 0",
      exitCode: 2,
    });
    expect(fsError({ chunkSize: 1 })?.message).toMatch(
      /^--chunk-size must be an integer between \d+ and \d+, got 1$/,
    );
    expect(fsError({ accountName: "Bad_Name" })?.message).toMatch(/^-a\/--account 'Bad_Name' is not a valid/);
    // An option only adl sets: the library's own name (adl's bug to report), never a flag that does not exist.
    expect(fsError({ connections: 1, concurrency: 8 })?.message).toMatch(
      /^connections \(1\) must be at least/,
    );

    const armError = (() => {
      try {
        createArmClient({ credential, subscriptionId: "not-a-guid" });
      } catch (err) {
        return describeError(err, { command: "group list" });
      }
    })();
    expect(armError?.message).toMatch(/^--subscription must be a subscription GUID/);

    const authError = (() => {
      try {
        new ClientSecretCredential("not a tenant", "c", "s");
      } catch (err) {
        return describeError(err, { command: "group list" });
      }
    })();
    expect(authError?.message).toMatch(/^--tenant 'not a tenant' must be a directory GUID or a domain/);
    expect(authError?.message).not.toMatch(/Credential|\[@adlkit/);
  });
});
