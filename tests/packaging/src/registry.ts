import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { run } from "./exec.js";

const SERVER = fileURLToPath(new URL("./registry-server.mjs", import.meta.url));

export interface Registry {
  /** `http://127.0.0.1:PORT/` */
  url: string;
  /** Publishes a tarball or an unpacked package directory with npm, as a release would. */
  publish(target: string): Promise<void>;
  stop(): Promise<void>;
}

/** Starts a throwaway verdaccio (its own process, loopback, a free port, storage under `dir`) with one user. */
export async function startRegistry(dir: string): Promise<Registry> {
  mkdirSync(dir, { recursive: true });
  const child = spawn(process.execPath, [SERVER, dir], { stdio: ["ignore", "pipe", "pipe"] });
  let port: number;
  try {
    port = await firstLinePort(child);
  } catch (err) {
    child.kill("SIGKILL");
    throw err;
  }
  const url = `http://127.0.0.1:${port}/`;
  const res = await fetch(`${url}-/user/org.couchdb.user:publisher`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: "publisher", password: "a-throwaway-password" }),
  });
  if (res.status !== 201) throw new Error(`the local registry refused to create a user: ${res.status}`);
  const { token } = (await res.json()) as { token: string };
  const userconfig = path.join(dir, "publish.npmrc");
  writeFileSync(userconfig, `//127.0.0.1:${port}/:_authToken=${token}\n`, { mode: 0o600 });

  return {
    url,
    async publish(target) {
      await run(
        "npm",
        [
          "publish",
          target,
          "--registry",
          url,
          "--userconfig",
          userconfig,
          "--access",
          "public",
          "--no-git-checks",
        ],
        { cwd: dir, timeoutMs: 60_000 },
      );
    },
    stop() {
      return new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 5000).unref();
      });
    },
  };
}

function firstLinePort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    const timer = setTimeout(() => reject(new Error(`verdaccio did not start in 30 s: ${err}`)), 30_000);
    child.stderr?.on("data", (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const line = /^(\{.*\})\n/.exec(out);
      if (line?.[1]) {
        clearTimeout(timer);
        resolve((JSON.parse(line[1]) as { port: number }).port);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`verdaccio exited with ${code}: ${err}`));
    });
  });
}
