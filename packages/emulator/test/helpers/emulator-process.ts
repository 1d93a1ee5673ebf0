import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import https from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ConnectionInfo } from "../../src/connection.js";

const bin = fileURLToPath(new URL("../../dist/bin.js", import.meta.url));

export interface ProcessResponse {
  status: number;
  body: Buffer;
  text(): string;
}

/** `adl-emulator start` (the built package) in a process of its own, for tests that time the server alone. */
export interface EmulatorProcess {
  dataDir: string;
  connection: ConnectionInfo;
  request(
    method: string,
    target: string,
    options?: { headers?: Record<string, string>; body?: string | Buffer },
  ): Promise<ProcessResponse>;
  close(): Promise<void>;
}

/** Starts the emulator from `dist/` with `config` as its config file; resolves once it is ready. */
export async function startEmulatorProcess(config: object): Promise<EmulatorProcess> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "adl-emu-proc-"));
  const configFile = path.join(dataDir, "config.json");
  writeFileSync(configFile, JSON.stringify(config));
  const child: ChildProcess = spawn(
    process.execPath,
    [bin, "start", "--port", "0", "--data", path.join(dataDir, "data"), "--config", configFile],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  await new Promise<void>((resolve, reject) => {
    let stdout = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (/ready at https:/.test(stdout)) resolve();
    });
    child.once("exit", (code) => reject(new Error(`adl-emulator exited with ${code}: ${stdout}`)));
  });
  const connection = JSON.parse(
    readFileSync(path.join(dataDir, "data", "connection.json"), "utf8"),
  ) as ConnectionInfo;
  const agent = new https.Agent({ ca: readFileSync(connection.caCertificatePath), keepAlive: true });
  return {
    dataDir: path.join(dataDir, "data"),
    connection,
    request(method, target, options = {}) {
      return new Promise((resolve, reject) => {
        const body = options.body ?? "";
        const req = https.request(
          {
            method,
            host: "localhost",
            port: connection.port,
            path: target,
            agent,
            headers: { "content-length": String(Buffer.byteLength(body)), ...options.headers },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () => {
              const all = Buffer.concat(chunks);
              resolve({ status: res.statusCode ?? 0, body: all, text: () => all.toString("utf8") });
            });
          },
        );
        req.on("error", reject);
        req.end(body);
      });
    },
    async close() {
      agent.destroy();
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
