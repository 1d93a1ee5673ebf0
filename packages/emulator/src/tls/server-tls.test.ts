import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadTls, type TlsMaterial } from "./server-tls.js";

/** Issue 16, finding 9: certificates are minted only for accounts that exist, and only so many are kept. */
let dir: string;
let tlsMaterial: TlsMaterial;
const existing = new Set(["acct1", "acct2", "acct3"]);
const exists = (name: string) => existing.has(name);

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "adl-tls-"));
  tlsMaterial = await loadTls(dir, { maxAccountContexts: 2 });
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("per-account certificates", () => {
  it("names that are not existing accounts get the default context, without minting", async () => {
    for (const name of [
      "nosuch.localhost",
      "localhost",
      "a.b.localhost",
      "x.localhost",
      "acct1.example.com",
      "ACCT9.localhost",
    ]) {
      expect(await tlsMaterial.contextFor(name, exists)).toBe(tlsMaterial.defaultContext);
    }
  });

  it("an existing account gets its own context, reused while it stays among the most recent", async () => {
    const first = await tlsMaterial.contextFor("acct1.localhost", exists);
    expect(first).not.toBe(tlsMaterial.defaultContext);
    expect(await tlsMaterial.contextFor("ACCT1.localhost", exists)).toBe(first);
  });

  it("keeps at most maxAccountContexts, dropping the least recently used", async () => {
    const one = await tlsMaterial.contextFor("acct1.localhost", exists);
    const two = await tlsMaterial.contextFor("acct2.localhost", exists);
    const three = await tlsMaterial.contextFor("acct3.localhost", exists); // drops acct1
    expect(await tlsMaterial.contextFor("acct3.localhost", exists)).toBe(three);
    expect(await tlsMaterial.contextFor("acct2.localhost", exists)).toBe(two);
    const again = await tlsMaterial.contextFor("acct1.localhost", exists); // minted anew, drops acct3
    expect(again).not.toBe(one);
    expect(await tlsMaterial.contextFor("acct3.localhost", exists)).not.toBe(three);
  });
});
