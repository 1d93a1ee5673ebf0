import { randomUUID } from "node:crypto";
import https from "node:https";
import {
  type RequestOptions,
  startTestEmulator,
  type TestEmulator,
  type TestResponse,
} from "./test-emulator.js";

export const DATALAKE = "https://datalake.azure.net/";

/** A principal the fixture can get tokens for (client credentials with a secret). */
export interface OtherPrincipal {
  tenantId: string;
  clientId: string;
  objectId: string;
  secret: string;
}

export type Who = "owner" | "other" | "foreign";

export interface FsCallOptions extends RequestOptions {
  /** Defaults to the default app (the account owner, a super-user). */
  as?: Who;
  /** Defaults to "/webhdfs/v1". */
  prefix?: string;
}

export interface FsFixture {
  emu: TestEmulator;
  account: string;
  /** A second principal of the account's own (default) tenant: not the owner, so permission checks apply. */
  other: OtherPrincipal;
  /** A principal of another tenant: the filesystem refuses its tokens (401), whatever the ACLs say. */
  foreign: OtherPrincipal;
  /** `https://localhost:PORT/{account}` (path-style: `*.localhost` does not resolve everywhere). */
  accountUrl: string;
  /** A token for the Data Lake audience as the owner, the other principal or the foreign one (cached). */
  tokenFor(who: Who): Promise<string>;
  /** Calls `{prefix}{rawPath}?{query}` with a bearer token; `rawPath` is sent as given (already encoded). */
  call(method: string, rawPath: string, query: string, options?: FsCallOptions): Promise<TestResponse>;
  /** Sends the request target exactly as given (no URL normalisation of `..` or `%2e`), as the owner. */
  rawCall(method: string, target: string, body?: string): Promise<TestResponse>;
  close(): Promise<void>;
}

/**
 * Starts an emulator with a configured account (in the default subscription, so the default tenant's), a second
 * principal in the default tenant and a third in a configured other tenant.
 */
export async function startFsFixture(
  account = "acct1",
  config: { superUsers?: string[]; otherObjectId?: string } = {},
): Promise<FsFixture> {
  const otherApp = {
    clientId: randomUUID(),
    objectId: config.otherObjectId ?? randomUUID(),
    secret: `s~${randomUUID()}`,
  };
  const foreign: OtherPrincipal = {
    tenantId: randomUUID(),
    clientId: randomUUID(),
    objectId: randomUUID(),
    secret: `f~${randomUUID()}`,
  };
  const emu = await startTestEmulator({
    accounts: [account],
    ...(config.superUsers ? { superUsers: config.superUsers } : {}),
    applications: [{ clientId: otherApp.clientId, objectId: otherApp.objectId, secrets: [otherApp.secret] }],
    tenants: [
      {
        id: foreign.tenantId,
        applications: [{ clientId: foreign.clientId, objectId: foreign.objectId, secrets: [foreign.secret] }],
      },
    ],
  });
  const other: OtherPrincipal = { ...otherApp, tenantId: emu.emulator.connection.tenantId };
  const tokens = new Map<string, string>();
  const accountUrl = `${emu.url}/${account}`;
  const fixture: FsFixture = {
    emu,
    account,
    other,
    foreign,
    accountUrl,
    async tokenFor(who) {
      const cached = tokens.get(who);
      if (cached) return cached;
      let token: string;
      if (who === "owner") token = await emu.token(DATALAKE);
      else {
        const principal = who === "other" ? other : foreign;
        const form = new URLSearchParams({
          grant_type: "client_credentials",
          client_id: principal.clientId,
          client_secret: principal.secret,
          resource: DATALAKE,
        });
        const res = await emu.request("POST", `${emu.url}/${principal.tenantId}/oauth2/token`, {
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: form.toString(),
        });
        if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${res.text}`);
        token = res.json<{ access_token: string }>().access_token;
      }
      tokens.set(who, token);
      return token;
    },
    async call(method, rawPath, query, options = {}) {
      const token = await fixture.tokenFor(options.as ?? "owner");
      const url = `${accountUrl}${options.prefix ?? "/webhdfs/v1"}${rawPath}${query ? `?${query}` : ""}`;
      const headers: Record<string, string> = { authorization: `Bearer ${token}`, ...options.headers };
      if (options.body === undefined && method !== "GET" && !headers["content-length"])
        headers["content-length"] = "0";
      return emu.request(method, url, { ...options, headers });
    },
    async rawCall(method, target, body) {
      const token = await fixture.tokenFor("owner");
      return new Promise<TestResponse>((resolve, reject) => {
        const req = https.request(
          {
            method,
            host: "localhost",
            port: emu.emulator.port,
            path: `/${account}/webhdfs/v1${target}`,
            headers: {
              authorization: `Bearer ${token}`,
              "content-length": String(Buffer.byteLength(body ?? "")),
            },
            ca: emu.emulator.caPem,
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () => {
              const data = Buffer.concat(chunks);
              const text = data.toString("utf8");
              resolve({
                status: res.statusCode ?? 0,
                headers: res.headers,
                body: data,
                text,
                json: () => JSON.parse(text),
              });
            });
          },
        );
        req.on("error", reject);
        req.end(body ?? "");
      });
    },
    close: () => emu.close(),
  };
  return fixture;
}

/** The RemoteException of an error response. */
export function remoteException(res: TestResponse): {
  exception: string;
  message: string;
  javaClassName: string;
} {
  return res.json<{ RemoteException: { exception: string; message: string; javaClassName: string } }>()
    .RemoteException;
}
