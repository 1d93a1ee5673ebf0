import { randomBytes } from "node:crypto";
import type { EmulatorConfig } from "../../src/options.js";
import { startTestEmulator, type TestEmulator, type TestResponse } from "../helpers/test-emulator.js";

export const DLS_API = "2016-11-01";
export const RG_API = "2022-09-01";
export const STORAGE_API = "2023-01-01";

export interface ArmRequest {
  body?: unknown;
  /** A token to send instead of the fixture's ARM token; `null` sends no Authorization header. */
  token?: string | null;
  headers?: Record<string, string>;
  /** Overrides the api-version chosen from the path; `null` sends none. */
  apiVersion?: string | null;
}

export interface ArmFixture {
  emu: TestEmulator;
  /** The default subscription id. */
  sub: string;
  token(): Promise<string>;
  /** A request to `path` (starting with `/`) or to an absolute URL (sent verbatim, as clients follow links). */
  arm(method: string, pathOrUrl: string, options?: ArmRequest): Promise<TestResponse>;
  /** `/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.DataLakeStore/accounts/{name}` */
  accountPath(group: string, name: string): string;
  createGroup(name: string, location?: string): Promise<void>;
  /** Creates an account and polls its Azure-AsyncOperation URL until the creation has finished. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies loosely, as TestResponse.json() does
  createAccount(group: string, name: string, body?: Record<string, unknown>): Promise<Record<string, any>>;
  /** `/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Storage/storageAccounts/{name}` */
  storagePath(group: string, name: string): string;
  /** Creates a Gen2 storage account (`body` defaults to storageBody()) and follows its Location URL to the end. */
  createStorageAccount(
    group: string,
    name: string,
    body?: Record<string, unknown>,
    // biome-ignore lint/suspicious/noExplicitAny: as createAccount
  ): Promise<Record<string, any>>;
  close(): Promise<void>;
}

/** A fresh account name (they are global across the emulator). */
export function accountName(prefix = "acct"): string {
  return `${prefix}${randomBytes(5).toString("hex")}`.slice(0, 24);
}

export async function startArmFixture(config: Partial<EmulatorConfig> = {}): Promise<ArmFixture> {
  const emu = await startTestEmulator(config);
  let cached: string | undefined;
  const fixture: ArmFixture = {
    emu,
    get sub() {
      return emu.emulator.connection.subscriptionId;
    },
    async token() {
      cached ??= await emu.token("https://management.azure.com/");
      return cached;
    },
    async arm(method, pathOrUrl, options = {}) {
      const url = new URL(pathOrUrl, emu.url);
      if (!/^https?:/.test(pathOrUrl) && options.apiVersion !== null) {
        const version =
          options.apiVersion ??
          (/\/providers\/Microsoft\.DataLakeStore\//i.test(url.pathname)
            ? DLS_API
            : /\/providers\/Microsoft\.Storage\//i.test(url.pathname)
              ? STORAGE_API
              : RG_API);
        url.searchParams.set("api-version", version);
      }
      const headers: Record<string, string> = { accept: "application/json", ...options.headers };
      const token = options.token === undefined ? await fixture.token() : options.token;
      if (token !== null) headers.authorization = `Bearer ${token}`;
      let body: string | undefined;
      if (options.body !== undefined) {
        body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
        headers["content-type"] = "application/json";
      }
      return emu.request(method, url.toString(), { headers, ...(body !== undefined ? { body } : {}) });
    },
    accountPath(group, name) {
      return `/subscriptions/${fixture.sub}/resourceGroups/${group}/providers/Microsoft.DataLakeStore/accounts/${name}`;
    },
    async createGroup(name, location = "eastus") {
      const res = await fixture.arm("PUT", `/subscriptions/${fixture.sub}/resourcegroups/${name}`, {
        body: { location },
      });
      if (res.status !== 201 && res.status !== 200)
        throw new Error(`creating resource group ${name}: ${res.status} ${res.text}`);
    },
    async createAccount(group, name, body = { location: "eastus2" }) {
      const res = await fixture.arm("PUT", fixture.accountPath(group, name), { body });
      if (res.status !== 201) throw new Error(`creating account ${name}: ${res.status} ${res.text}`);
      const statusUrl = String(res.headers["azure-asyncoperation"]);
      for (let i = 0; i < 20; i++) {
        const status = (await fixture.arm("GET", statusUrl)).json().status;
        if (status === "Succeeded")
          return (await fixture.arm("GET", fixture.accountPath(group, name))).json();
        if (status !== "InProgress") throw new Error(`account ${name} creation ended ${status}`);
      }
      throw new Error(`account ${name} creation did not finish in 20 polls`);
    },
    storagePath(group, name) {
      return `/subscriptions/${fixture.sub}/resourceGroups/${group}/providers/Microsoft.Storage/storageAccounts/${name}`;
    },
    async createStorageAccount(group, name, body = storageBody()) {
      const res = await fixture.arm("PUT", fixture.storagePath(group, name), { body });
      if (res.status !== 202) throw new Error(`creating storage account ${name}: ${res.status} ${res.text}`);
      for (let i = 0; i < 20; i++) {
        const poll = await fixture.arm("GET", String(res.headers.location));
        if (poll.status === 200) return poll.json();
        if (poll.status !== 202)
          throw new Error(`storage account ${name}: poll answered ${poll.status} ${poll.text}`);
      }
      throw new Error(`storage account ${name} creation did not finish in 20 polls`);
    },
    close: () => emu.close(),
  };
  return fixture;
}

/** A Gen2 account's create body: StorageV2, Standard_LRS, hierarchical namespace on, plus `extra`. */
export function storageBody(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const { properties, ...rest } = extra as { properties?: Record<string, unknown> };
  return {
    location: "eastus",
    kind: "StorageV2",
    sku: { name: "Standard_LRS" },
    ...rest,
    properties: { isHnsEnabled: true, ...properties },
  };
}

/** The `error` object of an ARM error answer, after checking the shape every ARM error has (item 48). */
export function armError(res: TestResponse): { code: string; message: string; target?: string } {
  if (!String(res.headers["content-type"]).startsWith("application/json")) {
    throw new Error(`error answer ${res.status} is not JSON: ${String(res.headers["content-type"])}`);
  }
  const body = res.json();
  if (typeof body?.error?.code !== "string" || typeof body.error.message !== "string") {
    throw new Error(`error answer ${res.status} lacks error.code/message: ${res.text}`);
  }
  return body.error;
}
