import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { PYTHON, pythonSdks } from "../helpers/python-sdks.js";
import { runChild } from "../helpers/run-child.js";
import { type DfsFixture, startDfsFixture } from "./dfs-fixture.js";

/**
 * Debian's azure-storage-file-datalake (python3-azure) against the Gen2 data plane, in its own process with the
 * emulator's CA in REQUESTS_CA_BUNDLE: the client sends `%2F` in paths, downloads with a first ranged GET, and
 * uploads with parallel appends.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const py = pythonSdks(
  ["azure.storage.filedatalake", "azure.identity"],
  "python3-azure",
  "Python azure-storage-file-datalake",
);

let fx: DfsFixture;
beforeAll(async () => {
  fx = await startDfsFixture("py");
}, 60_000);
afterAll(() => fx?.close());

/** Runs one script of python/ in its own process with the emulator's CA; its last stdout line is its JSON. */
async function runScript(name: string, env: Record<string, string>): Promise<Record<string, unknown>> {
  const result = await runChild(
    PYTHON,
    [path.join(here, "python", name)],
    {
      PATH: "/usr/bin:/bin",
      HOME: fx.arm.emu.dataDir,
      PYTHONDONTWRITEBYTECODE: "1",
      REQUESTS_CA_BUNDLE: fx.arm.emu.emulator.connection.caCertificatePath,
      ...env,
    },
    120_000,
  );
  if (result.code !== 0) throw new Error(`${name} exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split("\n").pop() ?? "{}");
}

describe("azure-storage-file-datalake (Python)", () => {
  py.it(
    "filesystem and directory lifecycle, 20 MiB parallel upload, ranged download, rename, ACLs, 403, pages, user delegation SAS",
    async () => {
      const c = fx.arm.emu.emulator.connection;
      const other = fx.arm.emu.emulator.services.config.applications[0]!;
      const out = await runScript("datalake_sdk.py", {
        EMU_URL: c.url,
        EMU_TENANT: c.tenantId,
        EMU_CLIENT_ID: c.clientId,
        EMU_CLIENT_SECRET: c.clientSecret,
        EMU_OTHER_ID: other.clientId,
        EMU_OTHER_SECRET: String(other.secrets?.[0]),
        EMU_OTHER_OID: fx.other.objectId,
        EMU_ACCOUNT_URL: fx.endpoint,
      });
      const oid = fx.other.objectId;
      expect(out).toEqual({
        exists: true,
        metadata: { lang: "python" },
        duplicate: "ContainerAlreadyExists",
        listed: ["pyfs"],
        size: 20 * 1024 * 1024,
        whole_md5_ok: true,
        range_ok: true,
        empty: 0,
        before_flush: 0,
        after_flush: "hello world",
        lease_acquired: ["leased", "locked", "fixed"],
        lease_write_without_id: [412, "LeaseIdMissing"],
        lease_released: "available",
        lease_after_acquire_release: "available",
        leased_content: "abcdef!",
        bad_flush: [400, "InvalidFlushPosition"],
        renamed: ["moved/d2", "moved/d2/big.bin"],
        old_gone: true,
        acl: `user::rw-,user:${oid}:r--,group::r--,mask::r--,other::---`,
        permissions: "rw-r-----+",
        recursive: [2, 1, 0],
        other_read: [403, "AuthorizationPermissionMismatch"],
        other_create: [403, "AuthorizationPermissionMismatch"],
        pages: expect.any(Array),
        ud_paths: true,
        ud_write: [403, "AuthorizationPermissionMismatch"],
        other_udk: [403, "AuthorizationPermissionMismatch"],
        deleted: true,
        missing: "ResourceNotFoundError",
        fs_gone: true,
      });
      expect((out.pages as number[]).reduce((a: number, b: number) => a + b, 0)).toBe(5);
      expect(fx.arm.emu.emulator.services.journal.entries((e) => e.status >= 500)).toEqual([]);
    },
    180_000,
  );

  py.it(
    "Shared Key and SAS: account key lifecycle, connection string, lease, Blob delete, wrong key 403; file system, read-only, expired and account SAS",
    async () => {
      const out = await runScript("datalake_keys.py", {
        EMU_ACCOUNT: fx.account,
        EMU_ACCOUNT_KEY: fx.arm.emu.emulator.storageAccounts.lookup(fx.account)!.keys.key1,
        EMU_ACCOUNT_URL: fx.endpoint,
        EMU_CONNECTION_STRING: fx.arm.emu.emulator.storageConnectionStrings()[0]!.connectionString,
      });
      expect(out).toEqual({
        sk_read: "python shared key",
        sk_owner: "$superuser",
        sk_paths: ["z", "z/b", "z/b/f.txt"],
        sk_deleted: true,
        sk_wrong: [403, "AuthenticationFailed"],
        conn_listed: ["pykeys"],
        lease_missing: [412, "LeaseIdMissing"],
        lease_deleted: true,
        blob_read: "blob side",
        blob_deleted: true,
        sas_read: "python sas",
        sas_paths: ["sas/one.txt"],
        sas_no_write: [403, "AuthorizationPermissionMismatch"],
        sas_no_delete: [403, "AuthorizationPermissionMismatch"],
        sas_expired: [403, "AuthenticationFailed"],
        account_sas_listed: ["pyacctsas"],
      });
      expect(fx.arm.emu.emulator.services.journal.entries((e) => e.status >= 500)).toEqual([]);
    },
    180_000,
  );
});
