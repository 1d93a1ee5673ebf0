import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import https from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * Issue 7: the emulator killed with SIGKILL in the middle of a stream of writes, then restarted on the same data
 * directory. Every write it acknowledged must be there; a write in flight at the kill is either wholly there or
 * not at all; GETFILESTATUS, LISTSTATUS and OPEN agree; and the server starts cleanly each time.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const BIN = path.resolve(here, "../../dist/bin.js");
const ACCOUNT = "crash";
const WRITERS = 6;
const ROUNDS = 6;
/** In-flight writes found applied, and not applied, after a restart. */
const inFlight = { applied: 0, dropped: 0 };

interface Response {
  status: number;
  body: Buffer;
}

interface Server {
  child: ChildProcess;
  port: number;
  stderr: () => string;
  agent: https.Agent;
  token: string;
}

/** What a writer knows about one file: the bytes it sent, how many were acknowledged, and one write in flight. */
interface Tracked {
  path: string;
  created: boolean;
  /** Every byte acknowledged, in order. */
  acked: Buffer;
  /** A write whose answer never came (the server died), or null. */
  pending: Buffer | null;
  /** The in-flight write is the CREATE itself. */
  pendingCreate: boolean;
}

let dataDir: string;
let server: Server | undefined;

function request(s: Server, method: string, target: string, body?: Buffer): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        method,
        host: "127.0.0.1",
        port: s.port,
        servername: "localhost",
        path: target,
        agent: s.agent,
        headers: {
          host: `localhost:${s.port}`,
          authorization: `Bearer ${s.token}`,
          "content-length": String(body?.length ?? 0),
        },
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

/** Starts `adl-emulator start` as a child process and waits for its ready line. */
async function startServer(configFile: string): Promise<Server> {
  const child = spawn(
    process.execPath,
    [BIN, "start", "--port", "0", "--data", dataDir, "--config", configFile],
    {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NODE_OPTIONS: "" },
    },
  );
  let out = "";
  let err = "";
  child.stderr!.on("data", (c: Buffer) => {
    err += c.toString();
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line in 60 s: ${out} ${err}`)), 60_000);
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
      const m = /ready at https:\/\/localhost:\d+ \(port (\d+)\)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the emulator exited with ${code} before it was ready: ${out} ${err}`));
    });
  });
  const connection = JSON.parse(readFileSync(path.join(dataDir, "connection.json"), "utf8"));
  const agent = new https.Agent({
    ca: readFileSync(connection.caCertificatePath, "utf8"),
    keepAlive: true,
    maxSockets: WRITERS + 2,
  });
  const s: Server = { child, port, stderr: () => err, agent, token: "" };
  const form = new URLSearchParams({
    grant_type: "client_credentials",
    client_id: connection.clientId,
    client_secret: connection.clientSecret,
    resource: "https://datalake.azure.net/",
  }).toString();
  const res = await new Promise<Response>((resolve, reject) => {
    const req = https.request(
      {
        method: "POST",
        host: "127.0.0.1",
        port,
        servername: "localhost",
        path: `/${connection.tenantId}/oauth2/token`,
        agent,
        headers: { "content-type": "application/x-www-form-urlencoded", host: `localhost:${port}` },
      },
      (r) => {
        const chunks: Buffer[] = [];
        r.on("data", (c: Buffer) => chunks.push(c));
        r.on("end", () => resolve({ status: r.statusCode ?? 0, body: Buffer.concat(chunks) }));
      },
    );
    req.on("error", reject);
    req.end(form);
  });
  expect(res.status, res.body.toString()).toBe(200);
  s.token = JSON.parse(res.body.toString()).access_token;
  return s;
}

async function kill(s: Server): Promise<void> {
  if (s.child.exitCode !== null || s.child.signalCode !== null) return;
  const exited = new Promise((resolve) => s.child.once("exit", resolve));
  s.child.kill("SIGKILL");
  await exited;
  s.agent.destroy();
}

const fsPath = (p: string, query: string) => `/${ACCOUNT}/webhdfs/v1${p}?${query}`;

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: build the emulator first (pnpm build)`);
  dataDir = mkdtempSync(path.join(tmpdir(), "adl-emu-crash-"));
});

afterAll(async () => {
  if (server) await kill(server);
  rmSync(dataDir, { recursive: true, force: true });
});

describe("SIGKILL during writes, then restart", () => {
  it(`keeps every acknowledged write across ${ROUNDS} kills; metadata and data agree`, async () => {
    // The account comes from the config file, so it exists at every start.
    const configFile = path.join(dataDir, "emulator.json");
    writeFileSync(configFile, JSON.stringify({ accounts: [ACCOUNT] }));
    const files: Tracked[] = [];
    let acknowledged = 0;
    let inFlightAtKill = 0;

    for (let round = 0; round < ROUNDS; round++) {
      server = await startServer(configFile);
      const s = server;

      // 1. After each restart: everything acknowledged is there, whole, and status, listing and data agree.
      if (round > 0) await verify(s, files);

      // 2. Writers append (and now and then create a file) until the server is killed under them.
      let stop = false;
      let ackedThisRound = 0;
      const target = 60 + Math.floor(Math.random() * 80);
      const writer = async (w: number) => {
        let file = files.find((f) => f.path.startsWith(`/w${w}/`) && f.created && !f.pending);
        while (!stop) {
          if (!file || Math.random() < 0.08) {
            file = {
              path: `/w${w}/r${round}-${randomBytes(3).toString("hex")}.bin`,
              created: false,
              acked: Buffer.alloc(0),
              pending: null,
              pendingCreate: false,
            };
            files.push(file);
            const first = randomBytes(Math.floor(Math.random() * 48 * 1024));
            file.pending = first;
            file.pendingCreate = true;
            try {
              const res = await request(
                s,
                "PUT",
                fsPath(file.path, "op=CREATE&write=true&overwrite=false"),
                first,
              );
              if (res.status !== 201) throw new Error(`CREATE ${file.path} -> ${res.status} ${res.body}`);
            } catch (err) {
              if (stop) return;
              throw err;
            }
            file.created = true;
            file.acked = first;
            file.pending = null;
            file.pendingCreate = false;
          } else {
            const chunk = randomBytes(1 + Math.floor(Math.random() * 96 * 1024));
            file.pending = chunk;
            try {
              const res = await request(
                s,
                "POST",
                fsPath(file.path, `op=APPEND&append=true&offset=${file.acked.length}`),
                chunk,
              );
              if (res.status !== 200) throw new Error(`APPEND ${file.path} -> ${res.status} ${res.body}`);
            } catch (err) {
              if (stop) return;
              throw err;
            }
            file.acked = Buffer.concat([file.acked, chunk]);
            file.pending = null;
          }
          acknowledged++;
          ackedThisRound++;
        }
      };
      const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));
      const failed = Promise.race(writers.map((p) => p.then(() => new Promise(() => {}))));
      while (ackedThisRound < target) {
        await Promise.race([failed, new Promise((r) => setTimeout(r, 2))]);
      }
      // 3. SIGKILL with writes in flight.
      stop = true;
      inFlightAtKill += files.filter((f) => f.pending).length;
      await kill(s);
      await Promise.all(writers);
      server = undefined;
    }

    // A last clean start: everything is there.
    server = await startServer(configFile);
    await verify(server, files);
    expect(server.stderr()).toBe("");
    console.log(
      JSON.stringify({ rounds: ROUNDS, files: files.length, acknowledged, inFlightAtKill, inFlight }),
    );
    expect(acknowledged).toBeGreaterThan(ROUNDS * 50);
    expect(inFlightAtKill).toBeGreaterThan(0);
  }, 240_000);
});

/**
 * Checks each tracked file against the restarted server, then forgets writes that did not survive (so the next
 * round continues from what is really there).
 */
async function verify(s: Server, files: Tracked[]): Promise<void> {
  const listed = new Map<string, number>();
  for (const dir of new Set(files.map((f) => path.posix.dirname(f.path)))) {
    const res = await request(s, "GET", fsPath(dir, "op=LISTSTATUS"));
    expect(res.status, res.body.toString()).toBe(200);
    for (const st of JSON.parse(res.body.toString()).FileStatuses.FileStatus)
      listed.set(`${dir}/${st.pathSuffix}`, st.length);
  }
  for (const f of [...files]) {
    const status = await request(s, "GET", fsPath(f.path, "op=GETFILESTATUS"));
    if (!f.created) {
      // Its CREATE was in flight at the kill: it is there whole, or not at all.
      expect(f.pendingCreate).toBe(true);
      if (status.status === 404) {
        expect(listed.has(f.path)).toBe(false);
        files.splice(files.indexOf(f), 1);
        inFlight.dropped++;
        continue;
      }
    }
    expect(status.status, `${f.path}: ${status.body}`).toBe(200);
    const length: number = JSON.parse(status.body.toString()).FileStatus.length;
    const expected =
      f.created && f.pending
        ? [f.acked.length, f.acked.length + f.pending.length]
        : f.created
          ? [f.acked.length]
          : [f.pending!.length];
    expect(expected, `${f.path}: length ${length}`).toContain(length);
    expect(listed.get(f.path), `${f.path} in LISTSTATUS`).toBe(length);
    const open = await request(s, "GET", fsPath(f.path, "op=OPEN&read=true"));
    expect(open.status).toBe(200);
    expect(open.body.length, `${f.path}: OPEN length`).toBe(length);
    const sent = f.pending ? Buffer.concat([f.created ? f.acked : Buffer.alloc(0), f.pending]) : f.acked;
    expect(open.body.equals(sent.subarray(0, length)), `${f.path}: content`).toBe(true);
    if (f.pending) {
      if (length === sent.length) inFlight.applied++;
      else inFlight.dropped++;
    }
    f.acked = open.body;
    f.created = true;
    f.pending = null;
    f.pendingCreate = false;
  }
}
