import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runChild } from "../helpers/run-child.js";
import { type DfsFixture, startDfsFixture } from "./dfs-fixture.js";

/**
 * Debian's azure-storage-file-datalake (python3-azure) against the Gen2 data plane, in its own process with the
 * emulator's CA in REQUESTS_CA_BUNDLE: the client sends `%2F` in paths, downloads with a first ranged GET, and
 * uploads with parallel appends.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const PYTHON = "/usr/bin/python3";

function pythonMissing(): string | undefined {
  if (!existsSync(PYTHON)) return `${PYTHON} does not exist`;
  const probe = spawnSync(PYTHON, ["-c", "import azure.storage.filedatalake, azure.identity"], {
    encoding: "utf8",
  });
  return probe.status === 0
    ? undefined
    : `azure-storage-file-datalake is not importable by ${PYTHON} (apt-get install python3-azure)`;
}
const missing = pythonMissing();
if (missing) console.warn(`Skipping the Python azure-storage-file-datalake test: ${missing}`);

let fx: DfsFixture;
beforeAll(async () => {
  fx = await startDfsFixture("py");
}, 60_000);
afterAll(() => fx?.close());

describe("azure-storage-file-datalake (Python)", () => {
  it.skipIf(missing !== undefined)(
    "filesystem and directory lifecycle, 20 MiB parallel upload, ranged download, rename, ACLs, 403, pages",
    async () => {
      const c = fx.arm.emu.emulator.connection;
      const other = fx.arm.emu.emulator.services.config.applications[0]!;
      const result = await runChild(
        PYTHON,
        [path.join(here, "python", "datalake_sdk.py")],
        {
          PATH: "/usr/bin:/bin",
          HOME: fx.arm.emu.dataDir,
          PYTHONDONTWRITEBYTECODE: "1",
          REQUESTS_CA_BUNDLE: c.caCertificatePath,
          EMU_URL: c.url,
          EMU_TENANT: c.tenantId,
          EMU_CLIENT_ID: c.clientId,
          EMU_CLIENT_SECRET: c.clientSecret,
          EMU_OTHER_ID: other.clientId,
          EMU_OTHER_SECRET: String(other.secrets?.[0]),
          EMU_OTHER_OID: fx.other.objectId,
          EMU_ACCOUNT_URL: fx.endpoint,
        },
        120_000,
      );
      if (result.code !== 0) throw new Error(`datalake_sdk.py exited ${result.code}: ${result.stderr}`);
      const out = JSON.parse(result.stdout.trim().split("\n").pop() ?? "{}");
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
        bad_flush: [400, "InvalidFlushPosition"],
        renamed: ["moved/d2", "moved/d2/big.bin"],
        old_gone: true,
        acl: `user::rw-,user:${oid}:r--,group::r--,mask::r--,other::---`,
        permissions: "rw-r-----+",
        recursive: [2, 1, 0],
        other_read: [403, "AuthorizationPermissionMismatch"],
        other_create: [403, "AuthorizationPermissionMismatch"],
        pages: expect.any(Array),
        deleted: true,
        missing: "ResourceNotFoundError",
        fs_gone: true,
      });
      expect(out.pages.reduce((a: number, b: number) => a + b, 0)).toBe(5);
      expect(fx.arm.emu.emulator.services.journal.entries((e) => e.status >= 500)).toEqual([]);
    },
    180_000,
  );
});
