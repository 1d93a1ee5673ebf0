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

function runPython(script: string, args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
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

describe.skipIf(!available)("official Python SDK (azure-datalake-store 0.0.52) against the emulator", () => {
  test("108/109/112: mkdir, put/get, cat, head, tail, ls, walk, glob, du, df, mv, rm, open wb/ab, ACLs, expiry, concat", async () => {
    const result = await runPython("sdk_filesystem.py", ["fs"], 50_000);
    expect(result.stderr + result.stdout).not.toContain("Traceback");
    if (process.env.SHOW_PY) console.log(result.stdout, result.stderr.slice(-3000));
    expect(result.code).toBe(0);
    const report = lastJson(result.stdout);
    expect(report.ok).toBe(true);
    expect(report.checks).toContain("open wb/ab/rb");
    expect(report.checks).toContain("rm recursive");
    // Every request the SDK sent was served by the filesystem, under the path-style URL.
    const fsEntries = fx.emu.emulator.services.journal.entries((e) => e.account === fx.account);
    expect(fsEntries.length).toBeGreaterThan(50);
    expect(fsEntries.every((e) => e.principal === fx.emu.emulator.connection.clientObjectId)).toBe(true);
  }, 60_000);

  test("110/111: ADLUploader and ADLDownloader, 4 threads, 4 MiB chunks, 1 MiB blocks, byte-identical (SHA-256)", async () => {
    const result = await runPython("sdk_transfer.py", [String(24 * 1024 * 1024 + 5)], 55_000);
    expect(result.stderr + result.stdout).not.toContain("Traceback");
    if (process.env.SHOW_PY) console.log(result.stdout, result.stderr.slice(-3000));
    expect(result.code).toBe(0);
    const report = lastJson(result.stdout);
    expect(report).toMatchObject({ ok: true, size: 24 * 1024 * 1024 + 5 });
    const concats = fx.emu.emulator.services.journal.entries((e) => e.op === "MSCONCAT" && e.status === 200);
    expect(concats.length).toBeGreaterThanOrEqual(1);
  }, 60_000);
});
