import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type FsFixture, startFsFixture } from "../helpers/webhdfs-fixture.js";

/** The Debian interpreter that has python3-azure-datalake-store 0.0.52 and python3-adal (not the pyenv one on PATH). */
const PYTHON = "/usr/bin/python3";
const SCRIPTS = path.join(path.dirname(fileURLToPath(import.meta.url)), "python");
const available = existsSync(PYTHON);

let fx: FsFixture;
let work: string;

beforeAll(async () => {
  fx = await startFsFixture();
  work = mkdtempSync(path.join(tmpdir(), "adl-py-"));
});
afterAll(async () => {
  await fx?.close();
  rmSync(work, { recursive: true, force: true });
});

function runPython(
  script: string,
  args: string[],
  timeoutMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const c = fx.emu.emulator.connection;
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [path.join(SCRIPTS, script), ...args], {
      cwd: SCRIPTS,
      env: {
        PATH: "/usr/bin:/bin",
        HOME: work,
        REQUESTS_CA_BUNDLE: c.caCertificatePath,
        EMU_URL: c.url,
        EMU_PORT: String(c.port),
        EMU_TENANT: c.tenantId,
        EMU_CLIENT_ID: c.clientId,
        EMU_SECRET: c.clientSecret,
        EMU_ACCOUNT: fx.account,
        WORK_DIR: work,
      },
      timeout: timeoutMs,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

function lastJson(stdout: string): Record<string, unknown> {
  const line = stdout.trim().split("\n").pop() ?? "{}";
  return JSON.parse(line) as Record<string, unknown>;
}

/** Runs each script once; the tests below each check the part of it that one checklist item covers. */
const runs = new Map<string, Promise<{ checks: string[]; report: Record<string, unknown> }>>();
function run(script: string, args: string[]) {
  let pending = runs.get(script);
  if (!pending) {
    pending = runPython(script, args, 55_000).then((result) => {
      if (result.code !== 0)
        throw new Error(
          `${script} exited with ${result.code}:\n${result.stdout}\n${result.stderr.slice(-4000)}`,
        );
      const report = lastJson(result.stdout);
      return { checks: report.checks as string[], report };
    });
    runs.set(script, pending);
  }
  return pending;
}
const filesystemChecks = async () => (await run("sdk_filesystem.py", ["fs"])).checks;
const transferChecks = async () => (await run("sdk_transfer.py", [String(BIG)])).checks;
const BIG = 24 * 1024 * 1024 + 5;

describe.skipIf(!available)(
  "§12 end-to-end with the official Python SDK (azure-datalake-store 0.0.52)",
  () => {
    test("108: put/get, cat, head, tail, ls(detail), walk, glob, du, df, exists, mkdir, rmdir, mv, rm(recursive), touch", async () => {
      const checks = await filesystemChecks();
      for (const name of [
        "mkdir",
        "exists",
        "put/get",
        "cat",
        "head",
        "tail",
        "touch",
        "ls",
        "ls detail",
        "walk",
        "glob",
        "du",
        "df",
        "mv",
        "rmdir",
        "rm recursive",
      ]) {
        expect(checks).toContain(name);
      }
      // Every request came from the SDK's path-style URL and was served as the default app.
      const entries = fx.emu.emulator.services.journal.entries((e) => e.account === fx.account);
      expect(entries.length).toBeGreaterThan(50);
      expect(entries.every((e) => e.principal === fx.emu.emulator.connection.clientObjectId)).toBe(true);
    }, 60_000);

    test("109: open('f','ab') twice appends; read() returns the concatenation", async () => {
      expect(await filesystemChecks()).toContain("open wb/ab/rb");
    }, 60_000);

    test("110: ADLUploader in 1 MiB chunks of 3 MiB+5 B: identical bytes, no segments left, overwrite=False refuses", async () => {
      const checks = await transferChecks();
      for (const name of [
        "110 length",
        "110 no segments left",
        "110 identical",
        "110 overwrite=False raises FileExistsError",
      ])
        expect(checks).toContain(name);
      expect(
        fx.emu.emulator.services.journal.entries((e) => e.op === "MSCONCAT" && e.status === 200).length,
      ).toBeGreaterThanOrEqual(2);
    }, 60_000);

    test("111: ADLDownloader of a single file and of a tree with an empty directory", async () => {
      const checks = await transferChecks();
      for (const name of ["111 single file", "111 tree files", "111 empty directory"])
        expect(checks).toContain(name);
    }, 60_000);

    test("112: set_acl(recursive=True) applies the spec to directories and the spec minus default: to files", async () => {
      const checks = await filesystemChecks();
      expect(checks).toContain("set_acl recursive dir");
      expect(checks).toContain("set_acl recursive file");
    }, 60_000);

    test("24 MiB + 5 B through ADLUploader/ADLDownloader, 4 threads, 4 MiB chunks, 1 MiB blocks: SHA-256 identical", async () => {
      const { checks, report } = await run("sdk_transfer.py", [String(BIG)]);
      expect(report.size).toBe(BIG);
      for (const name of ["upload length", "upload no segments left", "download sha256"])
        expect(checks).toContain(name);
    }, 60_000);

    test("other SDK calls used by the suite: chmod, ACL entry changes, remove_default_acl, set_expiry, concat", async () => {
      const checks = await filesystemChecks();
      for (const name of [
        "chmod",
        "modify_acl_entries",
        "remove_acl",
        "remove_default_acl",
        "set_expiry",
        "set_expiry never",
        "concat",
        "mv missing raises",
      ]) {
        expect(checks).toContain(name);
      }
    }, 60_000);
  },
);
