import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { BIN } from "../helpers.js";

/**
 * `adl` in a pseudo-terminal, for what it does only on a terminal (progress bars, Ctrl-C while one is drawn).
 * The terminal is util-linux's `script` (Debian's essential bsdutils package, so on every Debian machine): the
 * command's stdin, stdout and stderr are the terminal, everything it draws arrives on `output` as raw bytes
 * (escape sequences included), and writing `\x03` is a real Ctrl-C: the terminal sends SIGINT to the command.
 */
export interface TerminalRun {
  child: ChildProcessWithoutNullStreams;
  /** Everything the terminal showed so far. */
  output(): string;
  /** Types on the terminal's keyboard. */
  type(text: string): void;
  /** Resolves with the terminal's whole output once the command ended (and `script` with it). */
  done: Promise<{ code: number | null; output: string }>;
}

const quote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;

export function runInTerminal(
  args: string[],
  options: { env: Record<string, string>; columns?: number },
): TerminalRun {
  const command = [process.execPath, BIN, ...args].map(quote).join(" ");
  const columns = options.columns ?? 120;
  const child = spawn("script", ["-qfec", `stty cols ${columns} rows 40; exec ${command}`, "/dev/null"], {
    env: { PATH: process.env.PATH ?? "", SHELL: "/bin/sh", TERM: "xterm", ...options.env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  const chunks: Buffer[] = [];
  child.stdout.on("data", (c: Buffer) => chunks.push(c));
  child.stderr.on("data", (c: Buffer) => chunks.push(c));
  const output = () => Buffer.concat(chunks).toString("utf8");
  const done = new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output: output() }));
  });
  return { child, output, type: (text) => child.stdin.write(text), done };
}
