import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, writeFileSync } from "node:fs";
import path from "node:path";
import { killGroup } from "./exec.js";

export interface RunningEmulator {
  /** Its data folder: connection.json, tls/ca.pem. Projects link `.adl-emulator` to it. */
  dataDir: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * Starts an installed emulator's command (`adl-emulator start` or `adl emulator start`) on a free port and
 * resolves once it has written connection.json and says it is ready. The accounts the READMEs use exist from
 * the start, and long-running ARM operations finish at the first poll (the READMEs' waits stay short).
 */
export function startEmulatorCommand(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; dataDir: string },
): Promise<RunningEmulator> {
  const config = path.join(options.cwd, "emulator.json");
  writeFileSync(config, JSON.stringify({ accounts: ["contosolake"], arm: { lroPolls: 0 } }));
  const child = spawn(command, [...args, "--port", "0", "--data", options.dataDir, "--config", config], {
    cwd: options.cwd,
    env: options.env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  // Everything it prints goes to DATA.log too: a quick start's 500 is explained there.
  const log = createWriteStream(`${options.dataDir}.log`);
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => {
      killGroup(child.pid);
      reject(
        new Error(
          `${command} ${args.join(" ")} was not ready in 60 s (log: ${options.dataDir}.log):\n${out}`,
        ),
      );
    }, 60_000);
    let ready = false;
    // Either stream may carry the ready line (`adl` writes its notes to stderr); both keep being drained.
    const onData = (chunk: Buffer) => {
      if (ready) return;
      out += chunk.toString();
      const match = /ready at https:\/\/localhost:(\d+)/i.exec(out);
      if (!match) return;
      ready = true;
      clearTimeout(timer);
      resolve({ dataDir: options.dataDir, port: Number(match[1]), stop: () => stop(child) });
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} ${args.join(" ")} exited with ${code} before it was ready:\n${out}`));
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
    setTimeout(() => killGroup(child.pid), 5000).unref();
  });
}
