import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import type { GlobalOptions } from "../src/config/settings.js";
import type { Context } from "../src/context.js";
import { createProgress } from "../src/output/progress.js";

export const BIN = fileURLToPath(new URL("../bundle/bin.js", import.meta.url));

export function tempDir(prefix = "adl-cli-test-"): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** A context for commands that touch only the config file: no clients (using one fails the test). */
export function configContext(
  configDir: string,
  flags: Partial<GlobalOptions> = {},
  cwd = process.cwd(),
): Context {
  const unavailable = () => Promise.reject(new Error("this test must not reach the network"));
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  return {
    globals: { json: false, verbose: false, debug: false, color: false, ...flags },
    env: {},
    cwd,
    stdin: new PassThrough(),
    stdout,
    stderr,
    signal: new AbortController().signal,
    configDir,
    version: "0.0.0-test",
    progress: createProgress(stderr, false),
    settings: unavailable,
    credential: unavailable,
    arm: unavailable,
    fs: unavailable,
    secrets: () => [],
    note: () => {},
  };
}

export interface AdlRun {
  code: number | null;
  stdout: string;
  stderr: string;
  stdoutBytes: Buffer;
}

/** Runs the built `adl` binary as installed (node bundle/bin.js) with a clean environment plus `env`. */
export function runAdl(
  args: string[],
  options: { env?: Record<string, string>; input?: string | Buffer; cwd?: string } = {},
): Promise<AdlRun> {
  return startAdl(args, options).done;
}

/** `adl` started and left running, for tests that signal it (Ctrl-C is `child.kill("SIGINT")`); as runAdl. */
export function startAdl(
  args: string[],
  options: { env?: Record<string, string>; input?: string | Buffer; cwd?: string } = {},
): { child: ChildProcess; done: Promise<AdlRun> } {
  if (!existsSync(BIN))
    throw new Error(`${BIN} is missing: build first (pnpm turbo run build --filter=@adlkit/cli...)`);
  const env: Record<string, string> = { PATH: process.env.PATH ?? "", NO_COLOR: "1", ...options.env };
  const child = spawn(process.execPath, [BIN, ...args], {
    env,
    cwd: options.cwd ?? process.cwd(),
    stdio: ["pipe", "pipe", "pipe"],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on("data", (c: Buffer) => out.push(c));
  child.stderr.on("data", (c: Buffer) => err.push(c));
  const done = new Promise<AdlRun>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      const stdoutBytes = Buffer.concat(out);
      resolve({
        code,
        stdout: stdoutBytes.toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
        stdoutBytes,
      });
    });
  });
  child.stdin.end(options.input ?? "");
  return { child, done };
}

/** Parses stdout as exactly one JSON document (fails the test with the output if it is not). */
export function json<T = unknown>(run: AdlRun): T {
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`stdout is not pure JSON (exit ${run.code}):\n${run.stdout}\n--- stderr:\n${run.stderr}`);
  }
}
