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
    fsAt: unavailable,
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

/** The Python that has the standard library's `pty` (Debian's own when there, as the SDK tests use). */
const PYTHON = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
const PTY_RUN = fileURLToPath(new URL("./pty-run.py", import.meta.url));

/**
 * Runs `adl` with some of its standard streams on a pseudo-terminal of `columns` × 24 (through test/pty-run.py),
 * for what depends on a terminal: progress bars, human sizes, shortened ids. The terminal's output comes back in
 * the stream it replaced (stdout when stdout is the terminal).
 */
export function runAdlInTerminal(args: string[], options: TerminalOptions): Promise<AdlRun> {
  return startAdlInTerminal(args, options).done;
}

export interface TerminalOptions {
  terminal: Array<"stdin" | "stdout" | "stderr">;
  columns?: number;
  env?: Record<string, string>;
  input?: string | Buffer;
  cwd?: string;
}

/**
 * `adl` on a pseudo-terminal and left running, for what happens while it draws: `output()` is what the terminal
 * showed so far (escape sequences included), and with `stdin` on the terminal, `type("\x03")` is a real Ctrl-C.
 */
export function startAdlInTerminal(
  args: string[],
  options: TerminalOptions,
): { child: ChildProcess; output: () => string; type: (text: string) => void; done: Promise<AdlRun> } {
  const size = [String(options.columns ?? 80), "24", options.terminal.join(",")];
  // With stdin on the terminal, keyboard input stays possible until the command ends.
  const keyboard = options.terminal.includes("stdin");
  const started = startAdlWith([PYTHON, PTY_RUN, ...size, "--"], args, options, !keyboard);
  const shown: Buffer[] = [];
  started.child.stdout?.on("data", (c: Buffer) => shown.push(c));
  return {
    ...started,
    output: () => Buffer.concat(shown).toString("utf8"),
    type: (text) => started.child.stdin?.write(text),
  };
}

/** `adl` started and left running, for tests that signal it (Ctrl-C is `child.kill("SIGINT")`); as runAdl. */
export function startAdl(
  args: string[],
  options: { env?: Record<string, string>; input?: string | Buffer; cwd?: string } = {},
): { child: ChildProcess; done: Promise<AdlRun> } {
  return startAdlWith([], args, options);
}

function startAdlWith(
  prefix: string[],
  args: string[],
  options: { env?: Record<string, string>; input?: string | Buffer; cwd?: string },
  endInput = true,
): { child: ChildProcess; done: Promise<AdlRun> } {
  if (!existsSync(BIN))
    throw new Error(`${BIN} is missing: build first (pnpm turbo run build --filter=@adlkit/cli...)`);
  const env: Record<string, string> = { PATH: process.env.PATH ?? "", NO_COLOR: "1", ...options.env };
  const [command, ...rest] = [...prefix, process.execPath, BIN, ...args] as [string, ...string[]];
  const child = spawn(command, rest, {
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
  if (endInput) child.stdin.end(options.input ?? "");
  else if (options.input !== undefined) child.stdin.write(options.input);
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
