import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATALAKE_AUDIENCES } from "../../src/audiences.js";
import { startTestEmulator, type TestEmulator } from "../helpers/test-emulator.js";

const run = promisify(execFile);
/** Debian's interpreter, where python3-adal is installed (a pyenv python3 on PATH would not have it). */
const PYTHON = "/usr/bin/python3";
const script = fileURLToPath(new URL("./python/adal_token.py", import.meta.url));

describe("the official Python adal library against the emulator", () => {
  let emu: TestEmulator;
  beforeAll(async () => {
    if (!existsSync(PYTHON))
      throw new Error(`${PYTHON} is missing: run scripts/system-deps.sh (python3-adal)`);
    emu = await startTestEmulator();
  });
  afterAll(() => emu?.close());

  for (const mode of ["secret", "certificate"] as const) {
    it(`acquire_token_with_client_${mode === "secret" ? "credentials" : "certificate"} gets a token our validation accepts`, async () => {
      const { stdout } = await run(PYTHON, [script, mode, emu.emulator.connectionFile], {
        env: { ...process.env, REQUESTS_CA_BUNDLE: emu.emulator.connection.caCertificatePath },
        timeout: 30_000,
      });
      const token = JSON.parse(stdout) as { accessToken: string; expiresIn: number; tokenType: string };
      expect(token.tokenType).toBe("Bearer");
      expect(token.expiresIn).toBe(3600);
      const verified = await emu.emulator.services.tokens.verify(token.accessToken, {
        audiences: DATALAKE_AUDIENCES,
      });
      expect(verified.appId).toBe(emu.emulator.connection.clientId);
      expect(verified.claims.appidacr).toBe(mode === "secret" ? "1" : "2");
      const sent = emu.emulator.services.journal.entries((e) => e.op === "token-v1");
      expect(sent.at(-1)?.status).toBe(200);
    });
  }
});
