import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import https from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

/**
 * The Gen2 data plane killed with SIGKILL in the middle of appends and flushes, then restarted on the same data
 * directory: every acknowledged flush is there, byte for byte; a flush in flight at the kill is wholly there or
 * not at all; data appended but never flushed is invisible.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const BIN = path.resolve(here, "../../dist/bin.js");
const WRITERS = 4;
const VERSION = "2025-01-05";

interface Server {
  child: ChildProcess;
  port: number;
  agent: https.Agent;
}
interface Answer {
  status: number;
  body: Buffer;
}

const root = mkdtempSync(path.join(tmpdir(), "adl-gen2-crash-"));
const dataDir = path.join(root, "data");
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function start(): Promise<Server> {
  const child = spawn(process.execPath, [BIN, "start", "--port", "0", "--data", dataDir], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  await new Promise<void>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
      if (/ready at https:/.test(out)) resolve();
    });
    child.once("exit", (code) => reject(new Error(`adl-emulator exited with ${code}: ${out}`)));
  });
  const connection = JSON.parse(readFileSync(path.join(dataDir, "connection.json"), "utf8"));
  const agent = new https.Agent({ ca: readFileSync(connection.caCertificatePath), keepAlive: true });
  return { child, port: connection.port, agent };
}

function call(s: Server, method: string, target: string, headers: Record<string, string>, body?: Buffer) {
  return new Promise<Answer>((resolve, reject) => {
    const req = https.request(
      {
        method,
        host: "127.0.0.1",
        servername: "localhost",
        port: s.port,
        path: target,
        agent: s.agent,
        headers: { "content-length": String(body?.length ?? 0), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

async function token(s: Server, resource: string): Promise<string> {
  const c = JSON.parse(readFileSync(path.join(dataDir, "connection.json"), "utf8"));
  const form = new URLSearchParams({
    grant_type: "client_credentials",
    client_id: c.clientId,
    client_secret: c.clientSecret,
    resource,
  }).toString();
  const res = await call(
    s,
    "POST",
    `/${c.tenantId}/oauth2/token`,
    { "content-type": "application/x-www-form-urlencoded" },
    Buffer.from(form),
  );
  return JSON.parse(res.body.toString()).access_token;
}

describe("Gen2 appends and flushes across SIGKILL", () => {
  it("acknowledged flushes survive, in-flight flushes are atomic, unflushed appends are invisible", async () => {
    let s = await start();
    const c = JSON.parse(readFileSync(path.join(dataDir, "connection.json"), "utf8"));
    const arm = { authorization: `Bearer ${await token(s, "https://management.azure.com/")}` };
    const sub = `/subscriptions/${c.subscriptionId}`;
    expect(
      (
        await call(
          s,
          "PUT",
          `${sub}/resourcegroups/crash?api-version=2022-09-01`,
          { ...arm, "content-type": "application/json" },
          Buffer.from('{"location":"eastus"}'),
        )
      ).status,
    ).toBe(201);
    const account = `crash${randomBytes(4).toString("hex")}`;
    const accountPath = `${sub}/resourceGroups/crash/providers/Microsoft.Storage/storageAccounts/${account}?api-version=2023-01-01`;
    const create = JSON.stringify({
      location: "eastus",
      kind: "StorageV2",
      sku: { name: "Standard_LRS" },
      properties: { isHnsEnabled: true },
    });
    expect(
      (await call(s, "PUT", accountPath, { ...arm, "content-type": "application/json" }, Buffer.from(create)))
        .status,
    ).toBe(202);
    for (
      let i = 0;
      i < 20 && (await call(s, "GET", accountPath, arm)).body.toString().includes('"Creating"');
      i++
    )
      await new Promise((r) => setTimeout(r, 200));
    let headers = {
      authorization: `Bearer ${await token(s, "https://storage.azure.com/")}`,
      "x-ms-version": VERSION,
    };
    const fs = await call(s, "PUT", `/${account}/crashfs?resource=filesystem`, headers);
    expect(fs.status, fs.body.toString()).toBe(201);

    // Each writer: create a file, then rounds of two appends (the second first) and a flush, until the kill.
    const acked: Buffer[] = Array.from({ length: WRITERS }, () => Buffer.alloc(0));
    const inFlight: Array<Buffer | null> = Array.from({ length: WRITERS }, () => null);
    let killed = false;
    const writer = async (w: number) => {
      const file = `/${account}/crashfs/w${w}.bin`;
      if ((await call(s, "PUT", `${file}?resource=file`, headers)).status !== 201) return;
      try {
        while (!killed) {
          const at = acked[w]!.length;
          const a = randomBytes(1000 + Math.floor(Math.random() * 60_000));
          const b = randomBytes(1000 + Math.floor(Math.random() * 60_000));
          await call(s, "PATCH", `${file}?action=append&position=${at + a.length}`, headers, b);
          await call(s, "PATCH", `${file}?action=append&position=${at}`, headers, a);
          inFlight[w] = Buffer.concat([acked[w]!, a, b]);
          const res = await call(
            s,
            "PATCH",
            `${file}?action=flush&position=${at + a.length + b.length}`,
            headers,
          );
          if (res.status !== 200) throw new Error(`flush answered ${res.status}`);
          acked[w] = inFlight[w]!;
          inFlight[w] = null;
          // Appended and never flushed: must stay invisible.
          await call(
            s,
            "PATCH",
            `${file}?action=append&position=${acked[w]!.length}`,
            headers,
            Buffer.from("ghost"),
          );
        }
      } catch {
        // the server died under this request
      }
    };
    const running = Array.from({ length: WRITERS }, (_, w) => writer(w));
    await new Promise((r) => setTimeout(r, 1500));
    killed = true;
    s.child.kill("SIGKILL");
    await Promise.all(running);
    s.agent.destroy();

    s = await start();
    headers = {
      authorization: `Bearer ${await token(s, "https://storage.azure.com/")}`,
      "x-ms-version": VERSION,
    };
    let inFlightApplied = 0;
    for (let w = 0; w < WRITERS; w++) {
      const read = await call(s, "GET", `/${account}/crashfs/w${w}.bin`, headers);
      expect(read.status).toBe(200);
      const pending = inFlight[w];
      if (pending && read.body.equals(pending)) inFlightApplied++;
      else
        expect(
          read.body.equals(acked[w]!),
          `writer ${w}: ${read.body.length} bytes, acked ${acked[w]!.length}`,
        ).toBe(true);
      expect(read.body.includes(Buffer.from("ghost"))).toBe(false);
    }
    expect(acked.some((b) => b.length > 0)).toBe(true);
    console.log(
      `gen2-crash: acknowledged ${acked.map((b) => b.length).join("/")} bytes; in-flight flushes applied: ${inFlightApplied}`,
    );
    s.child.kill("SIGTERM");
    await new Promise((r) => s.child.once("exit", r));
    s.agent.destroy();
  }, 120_000);
});
