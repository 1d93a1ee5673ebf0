import { type ChildProcess, spawn } from "node:child_process";
import { createPrivateKey, generateKeyPairSync } from "node:crypto";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import https from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConnectionInfo } from "../../src/connection.js";

/**
 * Issue 7: the admin endpoint refuses every request without its key (and changes nothing), and no secret,
 * private key or token appears in the emulator's log (its stdout and stderr, run as `adl-emulator start` with
 * both going to a file), in the request journal, or in any error answer, after traffic full of failures.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const BIN = path.resolve(here, "../../dist/bin.js");

let dir: string;
let logFile: string;
let child: ChildProcess;
let port: number;
let connection: ConnectionInfo;
let agent: https.Agent;
/** Every answer the emulator gave, except the token endpoints' successes (which carry a token by design). */
const answers: Array<{ request: string; answer: string }> = [];
/** Storage account keys seen in listKeys/regenerateKey answers (which carry them by design). */
const storageKeys: string[] = [];

interface Res {
  status: number;
  headers: Record<string, unknown>;
  text: string;
}

function call(
  method: string,
  target: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        method,
        host: "127.0.0.1",
        servername: "localhost",
        port,
        path: target,
        agent,
        headers: {
          host: `localhost:${port}`,
          "content-length": String(Buffer.byteLength(body ?? "")),
          ...headers,
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => {
          text += c;
        });
        res.on("end", () => {
          const out = { status: res.statusCode ?? 0, headers: res.headers, text };
          const tokenSuccess =
            /oauth2\/(v2\.0\/)?token|\/msi\/|\/metadata\/identity/.test(target) && out.status === 200;
          // The answer only (status, headers, body): the request itself carries secrets on purpose.
          const journalRead = /^\/_emulator\/journal/.test(target) && out.status === 200;
          const keysAnswer = /\/(listKeys|regenerateKey)\?/i.test(target) && out.status === 200;
          if (keysAnswer) for (const k of JSON.parse(text).keys) storageKeys.push(k.value);
          if (!tokenSuccess && !journalRead && !keysAnswer)
            answers.push({
              request: `${method} ${target.slice(0, 60)}`,
              answer: `${out.status} ${JSON.stringify(res.headers)} ${text}`,
            });
          resolve(out);
        });
        res.on("close", () => {
          if (!res.complete) reject(new Error(`${method} ${target}: the response was cut`));
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** What must never be printed: the app's secret, the admin key, the managed identity header, private keys. */
function knownSecrets(): string[] {
  const keyBody = (file: string) =>
    readFileSync(file, "utf8")
      .replace(/-----[^-]+-----/g, "")
      .replace(/\s+/g, "")
      .slice(0, 64);
  return [
    connection.clientSecret,
    connection.adminKey,
    connection.managedIdentity.header,
    keyBody(connection.clientPrivateKeyPath),
    keyBody(path.join(dir, "data", "identity", "token-signing-key.pem")),
    ...storageKeys,
  ];
}

function findSecrets(text: string, secrets: string[]): string[] {
  const found = secrets.filter((s) => s.length > 0 && text.includes(s)).map((s) => `${s.slice(0, 3)}…`);
  const jwt = /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*/.exec(text);
  if (jwt) found.push(`a JWT (${jwt[0].slice(0, 12)}…)`);
  return found;
}

beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: build the emulator first (pnpm build)`);
  dir = mkdtempSync(path.join(tmpdir(), "adl-emu-logs-"));
  logFile = path.join(dir, "emulator.log");
  const configFile = path.join(dir, "config.json");
  writeFileSync(configFile, JSON.stringify({ accounts: ["logacct"] }));
  const fd = openSync(logFile, "a");
  child = spawn(
    process.execPath,
    [BIN, "start", "--port", "0", "--data", path.join(dir, "data"), "--config", configFile],
    {
      stdio: ["ignore", fd, fd],
    },
  );
  closeSync(fd);
  // The ready line is in the log file.
  for (let i = 0; ; i++) {
    const m = /ready at https:\/\/localhost:\d+ \(port (\d+)\)/.exec(
      existsSync(logFile) ? readFileSync(logFile, "utf8") : "",
    );
    if (m) {
      port = Number(m[1]);
      break;
    }
    if (child.exitCode !== null || i > 600)
      throw new Error(`the emulator did not start: ${readFileSync(logFile, "utf8")}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  connection = JSON.parse(readFileSync(path.join(dir, "data", "connection.json"), "utf8"));
  agent = new https.Agent({ ca: readFileSync(connection.caCertificatePath, "utf8"), keepAlive: true });
}, 60_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGKILL");
    await exited;
  }
  agent?.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const adminHeaders = () => ({
  "x-adl-emulator-key": connection.adminKey,
  "content-type": "application/json",
});

describe("the admin endpoint", () => {
  it("refuses every route and method without the right key, and changes nothing", async () => {
    const key = connection.adminKey;
    // A known state set with the key.
    expect(
      (await call("PUT", "/_emulator/faults", adminHeaders(), JSON.stringify([{ area: "msi", status: 503 }])))
        .status,
    ).toBe(200);
    const configBefore = (await call("GET", "/_emulator/config", adminHeaders())).text;
    await call("GET", "/_emulator/health");
    const journalBefore = JSON.parse((await call("GET", "/_emulator/journal", adminHeaders())).text).entries
      .length;

    const wrongKeys: Array<[string, Record<string, string>, string]> = [
      ["no key", {}, ""],
      ["an empty key", { "x-adl-emulator-key": "" }, ""],
      ["a wrong key", { "x-adl-emulator-key": "wrong" }, ""],
      [
        "the key with one character changed",
        { "x-adl-emulator-key": `${key.slice(0, -1)}${key.endsWith("A") ? "B" : "A"}` },
        "",
      ],
      ["a prefix of the key", { "x-adl-emulator-key": key.slice(0, 8) }, ""],
      [
        "the key in upper case",
        { "x-adl-emulator-key": key.toUpperCase() === key ? key.toLowerCase() : key.toUpperCase() },
        "",
      ],
      ["the key twice", { "x-adl-emulator-key": `${key}${key}` }, ""],
      ["the key as a bearer token", { authorization: `Bearer ${key}` }, ""],
      ["the key in the query", {}, `?key=${key}&x-adl-emulator-key=${key}`],
      ["the key under another header", { "x-admin-key": key, "x-ms-admin-key": key }, ""],
    ];
    const routes: Array<[string, string, string | undefined]> = [
      ["GET", "journal", undefined],
      ["DELETE", "journal", undefined],
      ["GET", "faults", undefined],
      ["PUT", "faults", JSON.stringify([{ area: "fs", status: 500 }])],
      ["DELETE", "faults", undefined],
      ["GET", "config", undefined],
      ["PATCH", "config", JSON.stringify({ tokenLifetimeSeconds: 1, clockSkewSeconds: 99999 })],
      ["POST", "faults", "[]"],
      ["GET", "nonexistent", undefined],
      ["GET", "%2e%2e/_emulator/journal", undefined],
    ];
    let refused = 0;
    for (const [what, headers, query] of wrongKeys) {
      for (const [method, route, body] of routes) {
        const res = await call(
          method,
          `/_emulator/${route}${query}`,
          { "content-type": "application/json", ...headers },
          body,
        );
        expect(res.status, `${what}: ${method} ${route}: ${res.text}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${what}: ${method} ${route}`).toBeLessThan(500);
        expect(res.text, `${what}: ${method} ${route}`).not.toContain('"entries"');
        refused++;
      }
    }
    // Case variants of the prefix reach the admin area too, and are refused the same way.
    for (const prefix of ["/_EMULATOR/journal", "/_Emulator/faults"]) {
      const res = await call("GET", prefix);
      expect(res.status, prefix).toBeGreaterThanOrEqual(400);
      expect(res.text).not.toContain('"entries"');
    }

    // Nothing changed: the same faults, the same config, and the journal was not cleared.
    const faults = JSON.parse((await call("GET", "/_emulator/faults", adminHeaders())).text);
    expect(JSON.stringify(faults)).toContain('"msi"');
    expect(JSON.stringify(faults)).not.toContain('"fs"');
    expect((await call("GET", "/_emulator/config", adminHeaders())).text).toBe(configBefore);
    const journal = JSON.parse((await call("GET", "/_emulator/journal", adminHeaders())).text).entries;
    expect(journal.length).toBeGreaterThan(journalBefore + refused);
    expect((await call("GET", "/_emulator/health")).status).toBe(200);
    await call("DELETE", "/_emulator/faults", adminHeaders());
  }, 60_000);
});

describe("no secret, private key or token in the log, the journal or any error answer", () => {
  it("after traffic full of failures", async () => {
    const c = connection;
    const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
    const urlencoded = { "content-type": "application/x-www-form-urlencoded" };
    const tokenFor = async (resource: string) =>
      JSON.parse(
        (
          await call(
            "POST",
            `/${c.tenantId}/oauth2/token`,
            urlencoded,
            form({
              grant_type: "client_credentials",
              client_id: c.clientId,
              client_secret: c.clientSecret,
              resource,
            }),
          )
        ).text,
      ).access_token as string;
    const fsToken = await tokenFor("https://datalake.azure.net/");
    const armToken = await tokenFor("https://management.azure.com/");
    const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
    const expired = await new SignJWT({
      ...JSON.parse(Buffer.from(fsToken.split(".")[1]!, "base64url").toString()),
      exp: 1,
    })
      .setProtectedHeader({ alg: "RS256", kid: "k" })
      .sign(
        createPrivateKey(readFileSync(path.join(dir, "data", "identity", "token-signing-key.pem"), "utf8")),
      );
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const forged = await new SignJWT({ aud: "https://datalake.azure.net/" })
      .setProtectedHeader({ alg: "RS256" })
      .sign(privateKey);
    const tampered = `${fsToken.slice(0, -4)}AAAA`;

    // Good calls.
    expect(
      (await call("PUT", "/logacct/webhdfs/v1/a/f?op=CREATE&overwrite=true", bearer(fsToken), "data")).status,
    ).toBe(201);
    expect(
      (
        await call(
          "GET",
          `/subscriptions/${c.subscriptionId}/resourcegroups?api-version=2022-09-01`,
          bearer(armToken),
        )
      ).status,
    ).toBe(200);
    // A storage account, its keys (listed, regenerated), and failing calls around them.
    const storage = `/subscriptions/${c.subscriptionId}/resourceGroups/logs/providers/Microsoft.Storage/storageAccounts/logsacct`;
    const sv = "api-version=2023-01-01";
    const armJson = { ...bearer(armToken), "content-type": "application/json" };
    await call(
      "PUT",
      `/subscriptions/${c.subscriptionId}/resourcegroups/logs?api-version=2022-09-01`,
      armJson,
      '{"location":"eastus"}',
    );
    const created = await call(
      "PUT",
      `${storage}?${sv}`,
      armJson,
      JSON.stringify({
        location: "eastus",
        kind: "StorageV2",
        sku: { name: "Standard_LRS" },
        properties: { isHnsEnabled: true },
      }),
    );
    expect(created.status).toBe(202);
    for (let i = 0; i < 5; i++) {
      const poll = await call(
        "GET",
        new URL(String(created.headers.location)).pathname + new URL(String(created.headers.location)).search,
        bearer(armToken),
      );
      if (poll.status === 200) break;
    }
    expect((await call("POST", `${storage}/listKeys?$expand=kerb&${sv}`, bearer(armToken))).status).toBe(200);
    expect((await call("POST", `${storage}/regenerateKey?${sv}`, armJson, '{"keyName":"key1"}')).status).toBe(
      200,
    );
    expect(storageKeys).toHaveLength(4);
    await call(
      "POST",
      `${storage}/regenerateKey?${sv}`,
      armJson,
      JSON.stringify({ keyName: storageKeys[0] }),
    );
    await call("POST", `${storage}/regenerateKey?${sv}`, armJson, `{"keyName":"${storageKeys[1]}`);
    await call(
      "PATCH",
      `${storage}?${sv}`,
      armJson,
      JSON.stringify({ properties: { accessTier: storageKeys[1] } }),
    );
    await call("POST", `${storage}/listKeys?${sv}&key=${storageKeys[1]}`, bearer(fsToken));
    await call("POST", `${storage.replace("logsacct", "missingacct")}/listKeys?${sv}`, bearer(armToken));
    await call("GET", `${storage}?${sv}`, bearer(armToken));
    await call(
      "GET",
      `/subscriptions/${c.subscriptionId}/providers/Microsoft.Storage/storageAccounts?${sv}`,
      bearer(armToken),
    );
    // Token endpoint failures, with secrets in the body and in the query string.
    await call(
      "POST",
      `/${c.tenantId}/oauth2/token`,
      urlencoded,
      form({
        grant_type: "client_credentials",
        client_id: c.clientId,
        client_secret: `${c.clientSecret}x`,
        resource: "https://datalake.azure.net/",
      }),
    );
    await call(
      "POST",
      `/${c.tenantId}/oauth2/v2.0/token?client_secret=${c.clientSecret}`,
      urlencoded,
      form({
        grant_type: "client_credentials",
        client_id: c.clientId,
        client_secret: c.clientSecret,
        scope: "https://nothing.example/.default",
      }),
    );
    await call(
      "POST",
      `/${c.tenantId}/oauth2/token`,
      urlencoded,
      form({
        grant_type: "client_credentials",
        client_id: c.clientId,
        client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        client_assertion: forged,
        resource: "https://datalake.azure.net/",
      }),
    );
    await call(
      "POST",
      `/${c.tenantId}/oauth2/token`,
      urlencoded,
      `client_secret=${c.clientSecret}&garbage=%%%`,
    );
    await call("GET", `/msi/token?resource=https://datalake.azure.net/&api-version=2019-08-01`, {
      "x-identity-header": `${c.managedIdentity.header}x`,
    });
    await call(
      "GET",
      `/metadata/identity/oauth2/token?resource=https://datalake.azure.net/&api-version=2018-02-01`,
      {},
    );
    // Refused tokens at the filesystem and at Resource Manager, tokens in odd places.
    for (const t of [expired, forged, tampered, armToken, `${fsToken} ${fsToken}`]) {
      await call("GET", "/logacct/webhdfs/v1/a/f?op=OPEN&read=true", bearer(t));
      await call(
        "PUT",
        `/subscriptions/${c.subscriptionId}/resourcegroups/x?api-version=2022-09-01`,
        { ...bearer(t), "content-type": "application/json" },
        "{}",
      );
    }
    await call("GET", `/logacct/webhdfs/v1/a/f?op=OPEN&read=true&access_token=${fsToken}`);
    await call("GET", `/logacct/webhdfs/v1/${fsToken}?op=GETFILESTATUS`, bearer(fsToken));
    await call(
      "GET",
      `/subscriptions/${c.subscriptionId}/resourcegroups/${armToken.slice(0, 80)}?api-version=2022-09-01`,
      bearer(armToken),
    );
    await call(
      "PUT",
      `/subscriptions/${c.subscriptionId}/resourcegroups/bad?api-version=2022-09-01`,
      { ...bearer(armToken), "content-type": "application/json" },
      `{"location": "${c.clientSecret}", `,
    );
    await call("GET", `/nowhere?client_secret=${c.clientSecret}`, bearer(fsToken));
    await call("POST", `/_emulator/faults?key=${c.adminKey}`, { "x-adl-emulator-key": `${c.adminKey}!` });
    // Faults, so that injected failures are logged too.
    await call(
      "PUT",
      "/_emulator/faults",
      adminHeaders(),
      JSON.stringify([
        { area: "fs", status: 500, times: 2 },
        { area: "arm", action: "reset-response", afterBytes: 3, times: 1 },
      ]),
    );
    await call("GET", "/logacct/webhdfs/v1/a/f?op=OPEN&read=true", bearer(fsToken));
    await call("GET", "/logacct/webhdfs/v1/a/f?op=GETFILESTATUS", bearer(fsToken));
    await call(
      "GET",
      `/subscriptions/${c.subscriptionId}/resourcegroups?api-version=2022-09-01`,
      bearer(armToken),
    ).catch(() => undefined);

    const journal = (await call("GET", "/_emulator/journal", adminHeaders())).text;
    expect(JSON.parse(journal).entries.length).toBeGreaterThan(20);
    // A clean stop, so everything the emulator would print is in the file.
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await exited;
    const log = readFileSync(logFile, "utf8");
    expect(log).toContain("ready at");

    const secrets = knownSecrets();
    expect(findSecrets(log, secrets), "emulator log").toEqual([]);
    expect(findSecrets(journal, secrets), "journal").toEqual([]);
    const leaks = answers.filter((a) => findSecrets(a.answer, secrets).length > 0);
    expect(
      leaks.map((a) => `${a.request} -> ${a.answer.slice(0, 300)}`),
      "answers",
    ).toEqual([]);
    expect(answers.length).toBeGreaterThan(100);
    // The canary works: it finds what it looks for.
    expect(findSecrets(`x ${fsToken} ${c.clientSecret}`, secrets)).toHaveLength(2);
    expect(findSecrets(`old and new storage keys: ${storageKeys.join(" ")}`, secrets)).toHaveLength(4);
    expect(journal).toContain("arm:StorageAccounts_RegenerateKey");
  }, 60_000);
});
