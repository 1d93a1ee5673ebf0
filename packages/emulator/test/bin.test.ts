import { type ChildProcess, execFile, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import https from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const bin = fileURLToPath(new URL("../dist/bin.js", import.meta.url));
const run = promisify(execFile);

/** Starts `adl-emulator start` and resolves once it prints its ready line. */
function startBin(dataDir: string): Promise<{ child: ChildProcess; stdout: string; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, "start", "--port", "0", "--data", dataDir], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const ready = /ready at https:\/\/localhost:(\d+) \(port \d+\)/.exec(stdout);
      if (ready) resolve({ child, stdout, port: Number(ready[1]) });
    });
    child.once("exit", (code) =>
      reject(new Error(`adl-emulator exited with ${code} before it was ready: ${stdout}`)),
    );
  });
}

function health(port: number, ca: string): Promise<number> {
  return new Promise((resolve, reject) => {
    https
      .get({ host: "localhost", port, path: "/_emulator/health", ca }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .on("error", reject);
  });
}

describe("adl-emulator start", () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "adl-emu-bin-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("creates its CA, identity and connection.json, serves, stops on SIGTERM, and keeps its state across restarts", async () => {
    const first = await startBin(dataDir);
    const connectionFile = path.join(dataDir, "connection.json");
    expect(first.stdout).toContain(`connection details in ${connectionFile}`);
    const connection = JSON.parse(readFileSync(connectionFile, "utf8"));
    expect(connection.port).toBe(first.port);
    expect(statSync(connectionFile).mode & 0o777).toBe(0o600);
    const ca = readFileSync(connection.caCertificatePath, "utf8");
    expect(await health(first.port, ca)).toBe(200);
    const exited = new Promise<number | null>((resolve) => first.child.once("exit", resolve));
    first.child.kill("SIGTERM");
    expect(await exited).toBe(0);

    const second = await startBin(dataDir);
    try {
      const again = JSON.parse(readFileSync(connectionFile, "utf8"));
      for (const field of ["tenantId", "clientId", "clientSecret", "subscriptionId", "adminKey"])
        expect(again[field]).toBe(connection[field]);
      expect(readFileSync(again.caCertificatePath, "utf8")).toBe(ca);
      expect(await health(second.port, ca)).toBe(200);
    } finally {
      second.child.kill("SIGTERM");
    }
  });

  it("explains usage errors with exit code 2", async () => {
    const err = (await run(process.execPath, [bin, "serve"]).catch((e: unknown) => e)) as {
      code: number;
      stderr: string;
    };
    expect(err.code).toBe(2);
    expect(err.stderr).toMatch(/expected the command 'start'/);
    const badPort = (await run(process.execPath, [bin, "start", "--port", "99999"]).catch(
      (e: unknown) => e,
    )) as { code: number; stderr: string };
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toMatch(/--port must be an integer/);
    const { stdout } = await run(process.execPath, [bin, "--help"]);
    expect(stdout).toMatch(/Usage: adl-emulator start/);
  }, 30_000); // three node processes, each loading the whole emulator: seconds apiece on a busy machine

  it("prints its package's version with --version and -V", async () => {
    const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    for (const flag of ["--version", "-V"]) {
      const { stdout, stderr } = await run(process.execPath, [bin, flag]);
      expect(stdout).toBe(`${version}\n`);
      expect(stderr).toBe("");
    }
  }, 30_000);
});

/** Name, size, mtime and content hash of every file in the data directory (the lock file aside). */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name !== "emulator.lock") {
        const stat = statSync(full);
        out[path.relative(dir, full)] =
          `${stat.size} ${stat.mtimeMs} ${createHash("sha256").update(readFileSync(full)).digest("hex")}`;
      }
    }
  };
  walk(dir);
  return out;
}

describe("one emulator per data directory (issue 16, finding 10)", () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "adl-emu-lock-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("a second start on the same directory exits non-zero naming the first (pid, port) and changes nothing", async () => {
    const first = await startBin(dataDir);
    try {
      const before = snapshot(dataDir);
      // Killed after 20 s if it does not exit by itself (it must exit at once).
      const second = (await run(process.execPath, [bin, "start", "--port", "0", "--data", dataDir], {
        timeout: 20_000,
      }).catch((e: unknown) => e)) as { code: number; stderr: string; stdout: string };
      expect(second.code).toBe(1);
      expect(second.stderr).toContain(`pid ${first.child.pid}`);
      expect(second.stderr).toContain(`port ${first.port}`);
      expect(second.stderr).toContain(dataDir);
      expect(second.stdout).toBe("");
      expect(snapshot(dataDir)).toEqual(before);
      const ca = readFileSync(path.join(dataDir, "tls", "ca.pem"), "utf8");
      expect(await health(first.port, ca)).toBe(200); // the first one is untouched
    } finally {
      const exited = new Promise((resolve) => first.child.once("exit", resolve));
      first.child.kill("SIGTERM");
      await exited;
    }
    // A clean stop gives the directory up.
    expect(existsSync(path.join(dataDir, "emulator.lock"))).toBe(false);
  }, 60_000);

  it("a lock left by a killed emulator (dead pid) is taken over", async () => {
    const first = await startBin(dataDir);
    const exited = new Promise((resolve) => first.child.once("exit", resolve));
    first.child.kill("SIGKILL");
    await exited;
    expect(JSON.parse(readFileSync(path.join(dataDir, "emulator.lock"), "utf8")).pid).toBe(first.child.pid);
    const second = await startBin(dataDir);
    try {
      const connection = JSON.parse(readFileSync(path.join(dataDir, "connection.json"), "utf8"));
      expect(connection.port).toBe(second.port);
      const lock = JSON.parse(readFileSync(path.join(dataDir, "emulator.lock"), "utf8"));
      expect(lock).toMatchObject({ pid: second.child.pid, port: second.port });
    } finally {
      const stopped = new Promise((resolve) => second.child.once("exit", resolve));
      second.child.kill("SIGTERM");
      await stopped;
    }
  }, 60_000);
});
