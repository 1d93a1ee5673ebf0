import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import tls from "node:tls";
import { type RunningEmulator, startEmulator } from "@adlkit/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CaTrust, createHttpClient, emulatorCloud, NetworkError } from "../src/index.js";

/**
 * `caTrust`: two emulators, each with its own CA. The process's default roots are made to include the second
 * one's CA (as NODE_EXTRA_CA_CERTS would), so a client holding the first one's CA reaches the second only when
 * it trusts its CA as an extra, never with "only".
 */
describe("trusting a cloud's CA alone or besides the process's roots", () => {
  let mine: RunningEmulator;
  let other: RunningEmulator;
  const dirs: string[] = [];
  let defaults: string[];

  const discovery = (emulator: RunningEmulator) =>
    `${emulator.url}/${emulator.connection.tenantId}/v2.0/.well-known/openid-configuration`;
  const client = (caTrust: CaTrust | undefined) =>
    createHttpClient({
      namespace: "test",
      userAgent: "adlkit-test/0.0.0",
      caPem: mine.caPem,
      caTrust,
      retry: false,
    });

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) dirs.push(mkdtempSync(path.join(tmpdir(), "adlkit-core-trust-")));
    const started = await Promise.all(dirs.map((dataDir) => startEmulator({ port: 0, dataDir })));
    [mine, other] = started as [RunningEmulator, RunningEmulator];
    defaults = [...tls.getCACertificates("default")];
    tls.setDefaultCACertificates([...defaults, other.caPem]);
  });
  afterAll(async () => {
    tls.setDefaultCACertificates(defaults);
    await Promise.all([mine?.close(), other?.close()]);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('with "only", reaches the server of its CA', async () => {
    const http = client("only");
    expect((await http.send({ method: "GET", url: discovery(mine), read: "text" })).status).toBe(200);
    await http.close();
  });

  it('with "only", refuses a server that only the process\'s roots vouch for', async () => {
    const http = client("only");
    const err = await http
      .send({ method: "GET", url: discovery(other), read: "text" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect(String((err as NetworkError).cause ?? err)).toMatch(/certificate|UNABLE_TO_VERIFY|self.signed/i);
    await http.close();
  });

  it("as an extra (the default), reaches both", async () => {
    for (const trust of ["extra", undefined] as const) {
      const http = client(trust);
      expect((await http.send({ method: "GET", url: discovery(mine), read: "text" })).status).toBe(200);
      expect((await http.send({ method: "GET", url: discovery(other), read: "text" })).status).toBe(200);
      await http.close();
    }
  });

  it("the emulator's cloud trusts its CA alone; the CA-less cloud keeps the default", () => {
    const connection = { url: mine.url, dataLakeDnsSuffix: "localhost" };
    expect(emulatorCloud({ ...connection, caPem: mine.caPem }).caTrust).toBe("only");
    expect(emulatorCloud(connection).caTrust).toBeUndefined();
  });
});
