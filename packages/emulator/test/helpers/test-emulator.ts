import { mkdtempSync, rmSync } from "node:fs";
import https from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import type { EmulatorConfigOverrides } from "../../src/options.js";
import { type RunningEmulator, startEmulator } from "../../src/start.js";

export interface TestResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests inspect response bodies ad hoc
  json<T = any>(): T;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Connect here instead of the URL's host (host-style account names that do not resolve). */
  connectTo?: string;
}

export interface TestEmulator {
  emulator: RunningEmulator;
  dataDir: string;
  /** `https://localhost:PORT` */
  url: string;
  /** Raw HTTPS request that trusts the emulator's CA. */
  request(method: string, url: string, options?: RequestOptions): Promise<TestResponse>;
  /** A token for `resource` from the v1 endpoint with the default app's secret, or with `app`'s (another tenant's). */
  token(resource: string, app?: { tenantId: string; clientId: string; secret: string }): Promise<string>;
  /** Restarts the emulator on the same port and data directory; `whileStopped` runs in between. */
  restart(whileStopped?: () => void | Promise<void>): Promise<void>;
  close(): Promise<void>;
}

/** Starts an emulator on a free port with a fresh data directory. */
export async function startTestEmulator(config: EmulatorConfigOverrides = {}): Promise<TestEmulator> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "adl-emu-test-"));
  let emulator = await startEmulator({ port: 0, dataDir, config });
  const agent = () => new https.Agent({ ca: emulator.caPem, keepAlive: true });
  let httpsAgent = agent();
  const self: TestEmulator = {
    get emulator() {
      return emulator;
    },
    dataDir,
    get url() {
      return emulator.url;
    },
    request(method, url, options = {}) {
      const target = new URL(url);
      return new Promise<TestResponse>((resolve, reject) => {
        const req = https.request(
          {
            method,
            host: options.connectTo ?? target.hostname,
            servername: target.hostname,
            port: target.port,
            path: target.pathname + target.search,
            headers: { host: target.host, ...options.headers },
            agent: httpsAgent,
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () => {
              const body = Buffer.concat(chunks);
              const text = body.toString("utf8");
              resolve({
                status: res.statusCode ?? 0,
                headers: res.headers,
                body,
                text,
                json: () => JSON.parse(text),
              });
            });
            res.on("error", reject);
          },
        );
        req.on("error", reject);
        req.end(options.body);
      });
    },
    async token(resource, app) {
      const c = emulator.connection;
      const form = new URLSearchParams({
        grant_type: "client_credentials",
        client_id: app?.clientId ?? c.clientId,
        client_secret: app?.secret ?? c.clientSecret,
        resource,
      });
      const res = await self.request("POST", `${c.url}/${app?.tenantId ?? c.tenantId}/oauth2/token`, {
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: form.toString(),
      });
      if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${res.text}`);
      return res.json<{ access_token: string }>().access_token;
    },
    async restart(whileStopped) {
      const port = emulator.port;
      await emulator.close();
      httpsAgent.destroy();
      await whileStopped?.();
      emulator = await startEmulator({ port, dataDir, config });
      httpsAgent = agent();
    },
    async close() {
      await emulator.close();
      httpsAgent.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return self;
}
