import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { BlobServiceClient } from "@azure/storage-blob";
import { DataLakeServiceClient } from "@azure/storage-file-datalake";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DfsFixture, startDfsFixture } from "./dfs-fixture.js";

/**
 * Connection strings of Gen2 accounts: what `adl-emulator start` prints for each storage account, and what the
 * SDKs' `fromConnectionString` make of them; connection.json names the storage suffix and audience.
 */
const bin = fileURLToPath(new URL("../../dist/bin.js", import.meta.url));
let fx: DfsFixture;

beforeAll(async () => {
  fx = await startDfsFixture("connstr");
}, 60_000);
afterAll(() => fx?.close());

describe("connection strings", () => {
  it("one per Gen2 account, usable by BlobServiceClient and DataLakeServiceClient.fromConnectionString", async () => {
    const emulator = fx.arm.emu.emulator;
    const key1 = emulator.storageAccounts.lookup(fx.account)!.keys.key1;
    const expected = `DefaultEndpointsProtocol=https;AccountName=${fx.account};AccountKey=${key1};BlobEndpoint=${fx.endpoint};DfsEndpoint=${fx.endpoint}`;
    expect(emulator.storageConnectionStrings()).toEqual([
      { account: fx.account, connectionString: expected },
    ]);
    const lake = DataLakeServiceClient.fromConnectionString(expected);
    const fs = lake.getFileSystemClient("fromconn");
    await fs.create();
    await fs.getFileClient("d/f.txt").upload(Buffer.from("via connection string"));
    const blob = BlobServiceClient.fromConnectionString(expected).getContainerClient("fromconn");
    expect((await blob.getBlobClient("d/f.txt").downloadToBuffer()).toString()).toBe("via connection string");
    const file = JSON.parse(readFileSync(emulator.connectionFile, "utf8"));
    expect(file).toMatchObject({
      storageEndpointSuffix: `localhost:${emulator.port}`,
      storageAudience: "https://storage.azure.com/",
      dataLakeDnsSuffix: `localhost:${emulator.port}`,
      dataLakeAudience: "https://datalake.azure.net/",
    });
  });

  it("adl-emulator start prints each account's connection string on stdout (not in the log)", async () => {
    const copy = mkdtempSync(path.join(tmpdir(), "adl-emu-conn-"));
    try {
      // A copy of the data directory taken while the emulator is stopped: the CLI starts on it.
      await fx.arm.emu.restart(() => cpSync(fx.arm.emu.dataDir, copy, { recursive: true }));
      const child = spawn(process.execPath, [bin, "start", "--port", "0", "--data", copy], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stderr!.on("data", (c: Buffer) => {
        stderr += c.toString();
      });
      const port = await new Promise<number>((resolve, reject) => {
        child.stdout!.on("data", (c: Buffer) => {
          stdout += c.toString();
          const ready = /ready at https:\/\/localhost:(\d+)/.exec(stdout);
          if (ready) resolve(Number(ready[1]));
        });
        child.once("exit", (code) => reject(new Error(`exited ${code}: ${stdout}${stderr}`)));
      });
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
      const key1 = fx.arm.emu.emulator.storageAccounts.lookup(fx.account)!.keys.key1;
      expect(stdout).toContain(
        `adl-emulator: storage account ${fx.account}: DefaultEndpointsProtocol=https;AccountName=${fx.account};AccountKey=${key1};BlobEndpoint=https://127.0.0.1:${port}/${fx.account};DfsEndpoint=https://127.0.0.1:${port}/${fx.account}\n`,
      );
      expect(stderr).not.toContain(key1);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }, 60_000);
});
