import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { InvalidArgumentError, ResourceNotFoundError } from "@adlkit/arm-client";
import { AdlkitError, NetworkError } from "@adlkit/core";
import { PathExistsError, PathNotFoundError, ThrottledError } from "@adlkit/fs-client";
import { describe, expect, it } from "vitest";
import { cliHint, LIBRARY_WORDING, rephrase } from "./error-words.js";
import { describeError } from "./errors.js";

const PACKAGES = fileURLToPath(new URL("../../", import.meta.url));
const LIBRARIES = ["core", "auth", "arm-client", "fs-client"];

/**
 * Every piece of advice the libraries can attach to an error: the literals of `hint: …` expressions, of functions
 * that build hints, of hint tables, and any sentence-like literal (a message or hint) wherever it is.
 */
function libraryAdvice(): Array<{ where: string; text: string }> {
  const found: Array<{ where: string; text: string }> = [];
  for (const pkg of LIBRARIES) {
    const dir = path.join(PACKAGES, pkg, "src");
    for (const file of readdirSync(dir, { recursive: true }) as string[]) {
      if (!file.endsWith(".ts") || file.endsWith(".test.ts")) continue;
      const text = readFileSync(path.join(dir, file), "utf8");
      const regions: string[] = [];
      for (const m of text.matchAll(/\bhint\s*[:=]\s*/g)) {
        const rest = text.slice(m.index + m[0].length, m.index + m[0].length + 600);
        const end = rest.search(/,\s*\n\s*(\w+[:,]|\.\.\.|\})|\n\s*\}|;\s*\n/);
        regions.push(end < 0 ? rest : rest.slice(0, end));
      }
      for (const m of text.matchAll(/function \w*[hH]int\w*\([\s\S]*?\n\}\n/g)) regions.push(m[0]);
      if (/hints?\.ts$/.test(file)) regions.push(text);
      const literal = /"((?:[^"\\\n]|\\.)*)"|`((?:[^`\\]|\\.)*)`/g;
      const texts = new Set<string>();
      for (const region of regions) for (const m of region.matchAll(literal)) texts.add(m[1] ?? m[2] ?? "");
      for (const m of text.matchAll(literal)) {
        const t = m[1] ?? m[2] ?? "";
        if (/^[A-Z][^\n]* [^\n]*\.$/.test(t)) texts.add(t);
      }
      for (const t of texts) {
        if (t.includes(" "))
          found.push({ where: `${pkg}/src/${file}`, text: t.replace(/\$\{[^}]*\}/g, "X") });
      }
    }
  }
  return found;
}

/** Library hints the CLI never shows, since it gives its own for the error's code (error-words.ts, pathExists). */
const WORDED_BY_CODE = ["Pass overwrite: true to replace it."];

describe("library wording in the CLI", () => {
  it("finds the libraries' advice (the scan itself works)", () => {
    const texts = libraryAdvice().map((a) => a.text);
    expect(texts).toContain("Pass overwrite: true to replace it.");
    expect(texts).toContain(
      "Create the resource group first (resourceGroups.createOrUpdate) or check its name.",
    );
    expect(texts.length).toBeGreaterThan(40);
  });

  it("says every library hint and message in CLI words: no option, method or property path is left", () => {
    const leaks = libraryAdvice()
      .filter((a) => !WORDED_BY_CODE.includes(a.text))
      .map((a) => ({ ...a, cli: rephrase(a.text) }))
      .filter((a) => LIBRARY_WORDING.test(a.cli));
    // A new library hint that names an option ends up here: map it in error-words.ts (PHRASES).
    expect(leaks).toEqual([]);
  });

  it("drops a hint it cannot say in CLI words rather than name what the user cannot pass", () => {
    expect(cliHint("Raise the fooBar.limit option.")).toBeUndefined();
    expect(cliHint("Check the path.")).toBe("Check the path.");
  });

  it("names flags and commands for real library errors", () => {
    const fsInit = {
      status: 403,
      method: "PUT",
      url: "https://a/webhdfs/v1/x?op=CREATE",
      operation: "CREATE",
    };
    const exists = describeError(new PathExistsError({ ...fsInit, path: "/x" }), { command: "fs put" });
    expect(exists).toMatchObject({
      message: "/x already exists",
      hint: "Use `--overwrite` (-f) to replace it.",
    });
    expect(
      describeError(new PathExistsError({ ...fsInit, path: "/x" }), { command: "fs concat" }).hint,
    ).toMatch(/adl fs rm/);
    const throttled = new ThrottledError("CREATE /x failed: throttled by the service", {
      method: "PUT",
      url: fsInit.url,
      operation: "CREATE",
    });
    expect(describeError(throttled).hint).toBe("Use fewer `--threads`, or try again later.");
    // A local file in the way (no remote path or operation to say it of): the hint still names the flag.
    const local = new AdlkitError("get /r failed: ./r already exists", {
      code: "PATH_EXISTS",
      hint: "Pass overwrite: true to replace it.",
    });
    expect(describeError(local, { command: "fs get" })).toMatchObject({
      message: "./r already exists",
      hint: "Use `--overwrite` (-f) to replace it.",
    });
    const rename = new PathNotFoundError({
      ...fsInit,
      status: undefined,
      operation: "RENAME",
      path: "/nope",
    });
    expect(describeError(rename)).toMatchObject({
      message: "/nope does not exist",
      detail: "RENAME /nope failed: path does not exist",
      exitCode: 3,
    });

    const ip = new InvalidArgumentError(
      "parameters.properties.startIpAddress",
      "must be an IPv4 or IPv6 address.",
    );
    expect(describeError(ip, { command: "firewall create" }).message).toBe(
      "--start-ip must be an IPv4 or IPv6 address.",
    );
    const name = new InvalidArgumentError("accountName", "'A' is not a valid Data Lake Store account name.");
    expect(describeError(name, { command: "account show" }).message).toMatch(/^the account NAME 'A'/);
    expect(describeError(name, { command: "fs ls" }).message).toMatch(/^-a\/--account 'A'/);

    const group = new ResourceNotFoundError({
      status: 404,
      method: "GET",
      url: "https://m/subscriptions/s/resourceGroups/rg9",
      code: "ResourceGroupNotFound",
      armMessage: "Resource group 'rg9' could not be found.",
      hint: "Create the resource group first (resourceGroups.createOrUpdate) or check its name.",
    });
    group.message = `resourceGroups.get: ${group.message}`;
    expect(describeError(group)).toMatchObject({
      message: "Resource group 'rg9' could not be found",
      hint: "Create it with `adl group create rg9 -l REGION`, or check -g/--resource-group.",
    });
  });

  it("speaks of signing in, not of credential classes", () => {
    const words = (message: string) =>
      describeError(Object.assign(new Error(message), { code: "AADSTS7000215" }));
    expect(
      words(
        "ClientSecretCredential for client 'c' in tenant 't' at https://login/t failed: AADSTS7000215: bad.",
      ).message,
    ).toBe(
      "signing in with the client secret of client 'c' in tenant 't' at https://login/t failed: AADSTS7000215: bad.",
    );
    const noKey = new InvalidArgumentError(
      "certificate",
      "has no PEM private key for the file k.pem. (ClientCertificateCredential)",
      { source: "@adlkit/auth" },
    );
    expect(describeError(noKey).message).toBe("--certificate has no PEM private key for the file k.pem.");
  });

  it("names the account that does not exist, in the emulator (404) and in Azure (no DNS name)", () => {
    const emulator = new PathNotFoundError({
      status: 404,
      method: "GET",
      url: "https://127.0.0.1:1/nosuch/webhdfs/v1/?op=GETFILESTATUS",
      operation: "GETFILESTATUS",
      path: "/",
      remote: {
        exception: "FileNotFoundException",
        message: "The Data Lake account 'nosuch' does not exist.",
      },
    });
    expect(describeError(emulator, { cloud: "emulator", account: "nosuch" })).toMatchObject({
      code: "ACCOUNT_NOT_FOUND",
      message: "account nosuch not found in the emulator cloud",
      exitCode: 3,
    });
    const dns = new NetworkError(
      "GET",
      "https://nosuch.azuredatalakestore.net/webhdfs/v1/?op=GETFILESTATUS",
      Object.assign(new Error("getaddrinfo ENOTFOUND nosuch.azuredatalakestore.net"), { code: "ENOTFOUND" }),
    );
    expect(describeError(dns, { cloud: "public", account: "nosuch" }).message).toBe(
      "account nosuch not found in the public cloud",
    );
  });

  it("asks whether the emulator runs when nothing listens where the emulator cloud points", () => {
    const refused = new NetworkError(
      "POST",
      "https://localhost:9/t/oauth2/v2.0/token",
      Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" }),
    );
    const context = { cloud: "emulator", emulatorDir: "/data/emu", emulatorUrl: "https://localhost:9" };
    expect(describeError(refused, context)).toMatchObject({
      code: "EMULATOR_UNREACHABLE",
      message: "cannot reach the emulator at https://localhost:9: nothing is listening there",
      hint: "Is the emulator running? Start it with `adl emulator start --data /data/emu`.",
    });
    expect(describeError(refused, { cloud: "public" }).code).toBe("NETWORK_ERROR");
  });

  describe("Gen2 locations", () => {
    const fsUrl = "https://127.0.0.1:1/lake2/raw";
    const context = {
      cloud: "public",
      filesystems: [{ url: fsUrl, uri: "abfss://raw@lake2/", account: "lake2" }],
    };
    const notFound = (path: string, exception: string | undefined, message?: string) =>
      new PathNotFoundError({
        status: 404,
        method: "HEAD",
        url: `${fsUrl}${path === "/" ? "" : path}?action=getStatus`,
        operation: "getStatus",
        path,
        ...(exception ? { remote: { exception, message } } : {}),
      });

    it("names a missing filesystem by its URI, with the command that creates it", () => {
      expect(describeError(notFound("/x", "FilesystemNotFound"), context)).toMatchObject({
        code: "FILESYSTEM_NOT_FOUND",
        message: "filesystem abfss://raw@lake2/ does not exist",
        hint: "Create the filesystem with `adl fs mkdir abfss://raw@lake2/`; `adl storage-account list` lists the storage accounts.",
        exitCode: 3,
      });
    });

    it("reads 'not found' at a filesystem's root as a missing filesystem or account, never an empty one", () => {
      expect(describeError(notFound("/", undefined), context)).toMatchObject({
        code: "NOT_FOUND",
        message: "abfss://raw@lake2/ does not exist: no storage account lake2, or no such filesystem in it",
        exitCode: 3,
      });
      const gone = notFound(
        "/",
        "ResourceNotFound",
        "The storage account 'lake2' does not exist on this emulator.",
      );
      expect(describeError(gone, context)).toMatchObject({
        code: "ACCOUNT_NOT_FOUND",
        message: "storage account lake2 not found in the public cloud",
        exitCode: 3,
      });
    });

    it("says a missing path of a Gen2 location as the location, and leaves Gen1 paths alone", () => {
      expect(describeError(notFound("/a/b", "PathNotFound"), context).message).toBe(
        "abfss://raw@lake2/a/b does not exist",
      );
      expect(describeError(notFound("/a/b", "PathNotFound"), {}).message).toBe("/a/b does not exist");
    });
  });
});
