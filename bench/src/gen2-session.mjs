// The Gen2 side of the run's emulator, for scenarios 8 and 9 (setup, not measured): a storage account with a
// hierarchical namespace made as a user makes one (Resource Manager: resource group, then the account, a
// long-running create), a filesystem in it, and the DFS calls the harness needs to prepare and check files.
import https from "node:https";
import { caPem, connection, port } from "./session.mjs";
import { log } from "./setup.mjs";

export const GEN2_ACCOUNT = "benchgen2";
export const GEN2_FILESYSTEM = "bench";
/** The account's path-style DFS endpoint, as the official SDKs take it. */
export const gen2Endpoint = `https://127.0.0.1:${port}/${GEN2_ACCOUNT}`;

const agent = new https.Agent({ ca: caPem, keepAlive: true, maxSockets: 16 });
const tokens = new Map();

/** A client-credentials token of the run's app for `resource` (v1 endpoint), cached for the run. */
async function tokenFor(resource) {
  if (!tokens.has(resource)) {
    const body = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: connection.clientId,
      client_secret: connection.clientSecret,
      resource,
    }).toString();
    const r = await call("POST", `${connection.url}/${connection.tenantId}/oauth2/token`, {
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body,
    });
    if (r.status !== 200) throw new Error(`token for ${resource}: ${r.status} ${r.text.slice(0, 200)}`);
    tokens.set(resource, JSON.parse(r.text).access_token);
  }
  return tokens.get(resource);
}

/** @returns {Promise<{ status: number, text: string, body: Buffer, headers: import("node:http").IncomingHttpHeaders }>} */
function call(method, url, { headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      { method, agent, headers: { "content-length": body ? Buffer.byteLength(body) : 0, ...headers } },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, text: body.toString(), body, headers: res.headers });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

async function arm(method, route, json) {
  const token = await tokenFor(connection.resourceManagerAudience);
  const url = route.startsWith("https://")
    ? route
    : `${connection.resourceManagerEndpoint.replace(/\/$/, "")}${route}`;
  const body = json ? JSON.stringify(json) : undefined;
  const r = await call(method, url, {
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    body,
  });
  if (r.status >= 300) throw new Error(`${method} ${route}: ${r.status} ${r.text.slice(0, 200)}`);
  return r;
}

/** One DFS request on the bench filesystem; throws on anything but 2xx unless `allow` lists the status. */
export async function dfs(method, path, query, { headers = {}, body, allow = [] } = {}) {
  const token = await tokenFor(connection.storageAudience ?? "https://storage.azure.com/");
  const qs = new URLSearchParams(query).toString();
  const url = `${gen2Endpoint}/${GEN2_FILESYSTEM}${encodeURI(path)}${qs ? `?${qs}` : ""}`;
  const r = await call(method, url, {
    headers: { authorization: `Bearer ${token}`, "x-ms-version": "2025-01-05", ...headers },
    body,
  });
  if ((r.status < 200 || r.status >= 300) && !allow.includes(r.status))
    throw new Error(`${method} ${path} ${qs} -> ${r.status}: ${r.text.slice(0, 200)}`);
  return r;
}

let ready;
/** Creates the storage account and the filesystem once per run. */
export function ensureGen2Account() {
  ready ??= (async () => {
    log(
      `creating the Gen2 storage account ${GEN2_ACCOUNT} (Resource Manager) and filesystem ${GEN2_FILESYSTEM}`,
    );
    const group = `/subscriptions/${connection.subscriptionId}/resourcegroups/bench-gen2`;
    await arm("PUT", `${group}?api-version=2021-04-01`, { location: "eastus" });
    const created = await arm(
      "PUT",
      `${group}/providers/Microsoft.Storage/storageAccounts/${GEN2_ACCOUNT}?api-version=2023-01-01`,
      {
        location: "eastus",
        kind: "StorageV2",
        sku: { name: "Standard_LRS" },
        properties: { isHnsEnabled: true },
      },
    );
    if (created.status === 202) {
      for (let i = 0; ; i++) {
        const poll = await arm("GET", created.headers.location);
        if (poll.status === 200) break;
        if (i > 200) throw new Error(`storage account ${GEN2_ACCOUNT}: still ${poll.status}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    await dfs("PUT", "", { resource: "filesystem" }, { allow: [409] });
  })();
  return ready;
}

/** The file's length (HEAD), or -1 when it is missing. */
export async function gen2Length(path) {
  const r = await dfs("HEAD", path, {}, { allow: [404] });
  return r.status === 404 ? -1 : Number(r.headers["content-length"]);
}

export async function gen2Delete(path) {
  await dfs("DELETE", path, { recursive: "true" }, { allow: [404] });
}

/** Writes `file` (of `size` bytes) to `path` from the harness: create, 4 MiB appends, one flush (untimed). */
export async function gen2PutFile(path, file, size) {
  const { openSync, readSync, closeSync } = await import("node:fs");
  await dfs("PUT", path, { resource: "file" });
  const fd = openSync(file, "r");
  try {
    const buf = Buffer.allocUnsafe(4 * 1024 * 1024);
    for (let off = 0; off < size; off += buf.length) {
      const n = readSync(fd, buf, 0, Math.min(buf.length, size - off), off);
      await dfs("PATCH", path, { action: "append", position: String(off) }, { body: buf.subarray(0, n) });
    }
  } finally {
    closeSync(fd);
  }
  await dfs("PATCH", path, { action: "flush", position: String(size), close: "true" });
}

/** Reads a file once and drops the bytes (untimed). */
export async function gen2ReadOnce(path) {
  const token = await tokenFor(connection.storageAudience ?? "https://storage.azure.com/");
  await new Promise((resolve, reject) => {
    https
      .get(
        `${gen2Endpoint}/${GEN2_FILESYSTEM}${encodeURI(path)}`,
        { agent, headers: { authorization: `Bearer ${token}`, "x-ms-version": "2025-01-05" } },
        (res) => {
          if (res.statusCode !== 200) reject(new Error(`GET ${path} answered ${res.statusCode}`));
          res.on("data", () => {});
          res.on("end", resolve);
          res.on("error", reject);
        },
      )
      .on("error", reject);
  });
}

export const closeGen2 = () => agent.destroy();
