import { spawn } from "node:child_process";

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Resolve on a non-zero exit instead of rejecting (the caller checks `code`). */
  allowFailure?: boolean;
}

/**
 * Runs a command to completion with a deadline (the process group is killed when it passes), and rejects with
 * the command line and its output when it fails, so a failed install or quick start explains itself.
 */
export function run(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? 180_000;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true, // its own process group, so a timeout also stops what it started
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeoutMs);
    child.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      const result = { code, stdout, stderr, ms: Date.now() - started };
      if ((code === 0 && !timedOut) || (options.allowFailure && !timedOut)) return resolve(result);
      const why = timedOut ? `timed out after ${timeoutMs} ms` : `exited with ${code}`;
      reject(
        new Error(
          `${[command, ...args].join(" ")} (in ${options.cwd}) ${why}\n--- stdout\n${tail(stdout)}\n--- stderr\n${tail(stderr)}`,
        ),
      );
    });
  });
}

export function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // already gone
  }
}

function tail(text: string): string {
  return text.length > 6000 ? `…${text.slice(-6000)}` : text;
}
