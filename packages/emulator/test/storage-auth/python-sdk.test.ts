import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { authenticateStorageRequest } from "../../src/storage-auth/index.js";
import { PYTHON, pythonSdks } from "../helpers/python-sdks.js";
import { runChild } from "../helpers/run-child.js";
import {
  ACCOUNT_NAME,
  BEARER_OID,
  type CaptureServer,
  startCaptureServer,
  TENANT,
} from "./capture-server.js";

/**
 * Shared Key and SAS as Debian's Python SDKs sign them (azure-storage-file-datalake 12.10.0b1, azure-storage-blob
 * 12.15.0b1): `/` sent as `%2F`, their own header order and query canonicalisation, path style (127.0.0.1) and
 * host style, and SAS from generate_file_system_sas / generate_account_sas / generate_file_sas /
 * generate_directory_sas (user delegation, with a key from our issuer).
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const py = pythonSdks(
  ["azure.storage.filedatalake", "azure.storage.blob"],
  "python3-azure",
  "Python storage-auth",
);

py.describe("Shared Key and SAS signed by the Python SDKs", () => {
  let server: CaptureServer;
  let home: string;
  let sas: Record<string, string>;

  beforeAll(async () => {
    server = await startCaptureServer();
    home = mkdtempSync(path.join(tmpdir(), "adl-storage-auth-py-"));
    writeFileSync(path.join(home, "ca.pem"), server.caPem);
    const now = Date.now();
    const key = server.keys.issue(
      ACCOUNT_NAME,
      { oid: BEARER_OID, tid: TENANT },
      { start: now - 60_000, expiry: now + 3600_000 },
      "2021-08-06",
    );
    const result = await runChild(PYTHON, [path.join(here, "python", "sdk_sign.py")], {
      PATH: "/usr/bin:/bin",
      HOME: home,
      PYTHONDONTWRITEBYTECODE: "1",
      REQUESTS_CA_BUNDLE: path.join(home, "ca.pem"),
      CAPTURE_PORT: String(server.port),
      ACCOUNT: ACCOUNT_NAME,
      ACCOUNT_KEY: server.account.keys.key1,
      UDK: JSON.stringify(key),
    });
    if (result.code !== 0) throw new Error(`sdk_sign.py failed (${result.code}): ${result.stderr}`);
    sas = JSON.parse(result.stdout.trim().split("\n").pop()!);
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it("verifies every Shared Key request, path style and host style, %2F-encoded paths included", () => {
    const sharedKey = server.captured.filter((c) =>
      String(c.request.headers.authorization ?? "").startsWith("SharedKey "),
    );
    expect(sharedKey.length).toBeGreaterThanOrEqual(28);
    for (const c of sharedKey)
      expect(c.result, `${c.request.method} ${c.request.rawUrl}`).toMatchObject({ kind: "sharedKey" });
    const urls = sharedKey.map((c) => `${c.request.method} ${c.request.rawUrl}`);
    expect(urls).toContain(`PUT /${ACCOUNT_NAME}/fs1/dir%20one%2Fsub%2Ff%2B%C3%BC.txt?resource=file`);
    expect(urls.some((u) => u.startsWith("PUT /fs1/dir%20one%2Fsub%2Ff%2B%C3%BC.txt?resource=file"))).toBe(
      true,
    );
    expect(urls.some((u) => /^PATCH .*action=append/.test(u))).toBe(true);
    expect(sharedKey.some((c) => c.request.headers["x-ms-rename-source"])).toBe(true);
    expect(sharedKey.some((c) => c.request.headers["x-ms-range"])).toBe(true);
    expect(sharedKey.some((c) => c.request.headers["x-ms-meta-a_b"])).toBe(true);
  });

  it("SK-04: a %2F path re-sent with / (what a server decoding before signing would compute) fails", () => {
    const c = server.captured.find((x) => x.request.rawUrl.includes("%2F") && x.result.kind === "sharedKey")!;
    const decoded = { ...c.request, rawUrl: c.request.rawUrl.replaceAll("%2F", "/") };
    expect(
      authenticateStorageRequest(decoded, server.account, { userDelegationKeys: server.keys }),
    ).toMatchObject({ code: "AuthenticationFailed" });
  });

  it("verifies Python's file system SAS, account SAS and user delegation SAS (file; directory with suoid)", () => {
    const withSas = server.captured.filter((c) => /[?&]sig=/.test(c.request.rawUrl));
    expect(withSas.length).toBeGreaterThanOrEqual(5);
    for (const c of withSas)
      expect(c.result, `${c.request.method} ${c.request.rawUrl}`).toMatchObject({ kind: "sas" });
    expect(sas.fs).toMatch(/sv=\d{4}-\d{2}-\d{2}/);
    const kinds = withSas.map((c) => (c.result.kind === "sas" ? c.result.sasKind : ""));
    expect(new Set(kinds)).toEqual(new Set(["service", "account", "userDelegation"]));
    const dirUd = withSas.find((c) => c.result.kind === "sas" && c.result.resource.type === "directory");
    expect(dirUd?.result).toMatchObject({ aclObjectId: "33333333-3333-3333-3333-333333333333" });
  });
});
