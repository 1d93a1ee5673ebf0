import { mkdtempSync, rmSync } from "node:fs";
import https from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/start.js";

/**
 * close() (what SIGTERM runs) with request bodies still arriving: it stops accepting, lets requests finish within
 * the grace period, cuts the rest, and closes the stores only after every handler has returned, so nothing fails
 * on a closed database and nothing is logged.
 */
const MiB = 1024 * 1024;
const ACCOUNT = "shut";
let dataDir: string | undefined;
let emulator: RunningEmulator | undefined;

afterEach(async () => {
  await emulator?.close({ graceMs: 0 });
  emulator = undefined;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

interface Started {
  /** Sends the rest of the body. */
  finish(): void;
  /** The status, or the error code when the connection went away. */
  outcome: Promise<number | string>;
  /** Resolves once the server has the request's headers (its `100 Continue`) and the first MiB is sent. */
  begun: Promise<void>;
}

function start(emu: RunningEmulator, token: string, method: string, target: string, length: number): Started {
  const agent = new https.Agent({ ca: emu.caPem }); // its own connection
  const req = https.request(`${emu.url}/${ACCOUNT}/webhdfs/v1${target}`, {
    method,
    agent,
    // With `Expect: 100-continue` the body follows the server's 100, so the request is known to have begun (a
    // connection whose request has not begun is idle, and close() may cut it at once).
    headers: {
      authorization: `Bearer ${token}`,
      "content-length": String(length),
      expect: "100-continue",
    },
  });
  const outcome = new Promise<number | string>((resolve) => {
    req.on("response", (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
  const begun = new Promise<void>((resolve) => {
    req.once("continue", () => req.write(Buffer.alloc(MiB, 1), () => resolve()));
    void outcome.then(() => resolve()); // an answer without a 100 (the test then fails on the outcome)
  });
  req.flushHeaders();
  return { finish: () => req.end(Buffer.alloc(length - MiB, 2)), outcome, begun };
}

function call(emu: RunningEmulator, method: string, url: string, body?: string, headers = {}) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = https.request(url, { method, ca: emu.caPem, headers }, (res) => {
      let text = "";
      res.on("data", (d) => {
        text += d;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

async function tokenFor(emu: RunningEmulator): Promise<string> {
  const c = emu.connection;
  const form = new URLSearchParams({
    grant_type: "client_credentials",
    client_id: c.clientId,
    client_secret: c.clientSecret,
    resource: "https://datalake.azure.net/",
  }).toString();
  const res = await call(emu, "POST", `${c.url}/${c.tenantId}/oauth2/token`, form, {
    "content-type": "application/x-www-form-urlencoded",
  });
  return (JSON.parse(res.text) as { access_token: string }).access_token;
}

describe("close() with uploads in flight", () => {
  test("finishes what completes within the grace period, cuts the rest, logs nothing", async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "adl-emu-shutdown-"));
    const log: string[] = [];
    const options = {
      port: 0,
      dataDir,
      config: { accounts: [ACCOUNT] },
      log: (line: string) => log.push(line),
    };
    emulator = await startEmulator(options);
    const emu = emulator;
    const token = await tokenFor(emu);
    const fs = (p: string, query: string) => `${emu.url}/${ACCOUNT}/webhdfs/v1${p}?${query}`;
    const auth = { authorization: `Bearer ${token}` };
    expect((await call(emu, "PUT", fs("/appended", "op=CREATE&overwrite=true"), "x", auth)).status).toBe(201);

    const finishing = [
      start(emu, token, "PUT", "/created?op=CREATE&overwrite=true", 4 * MiB),
      start(emu, token, "POST", "/appended?op=APPEND&offset=1", 4 * MiB),
    ];
    const stalled = start(emu, token, "PUT", "/stalled?op=CREATE&overwrite=true", 4 * MiB);
    await Promise.all([...finishing, stalled].map((upload) => upload.begun)); // the bodies have started to arrive

    const closed = emu.close({ graceMs: 1500 });
    setTimeout(() => {
      for (const upload of finishing) upload.finish();
    }, 200);
    await closed;
    emulator = undefined;

    expect(await Promise.all(finishing.map((u) => u.outcome))).toEqual([201, 200]);
    expect(typeof (await stalled.outcome)).toBe("string"); // the connection was cut
    expect(log).toEqual([]);

    // Everything acknowledged is there after a restart; the cut upload is not.
    emulator = await startEmulator(options);
    const again = emulator;
    const token2 = await tokenFor(again);
    const status = async (p: string) => {
      const res = await call(
        again,
        "GET",
        `${again.url}/${ACCOUNT}/webhdfs/v1${p}?op=GETFILESTATUS`,
        undefined,
        { authorization: `Bearer ${token2}` },
      );
      return res.status === 200
        ? (JSON.parse(res.text) as { FileStatus: { length: number } }).FileStatus.length
        : res.status;
    };
    expect(await status("/created")).toBe(4 * MiB);
    expect(await status("/appended")).toBe(1 + 4 * MiB);
    expect(await status("/stalled")).toBe(404);
    expect(log).toEqual([]);
  });
});
