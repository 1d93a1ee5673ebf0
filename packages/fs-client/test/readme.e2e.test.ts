import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ClientSecretCredential } from "@adlkit/auth";
import { emulatorCloud } from "@adlkit/core";
import { readFixture } from "@adlkit/testkit";
import { expect, inject, it } from "vitest";
import { createFsClient } from "../src/index.js";

it("the README quick start works as written (against the emulator's cloud)", async () => {
  const { connection, caPem } = readFixture(inject("emulatorConnectionFile"));
  const cloud = emulatorCloud({ ...connection, caPem });
  const dir = await mkdtemp(path.join(tmpdir(), "fs-client-readme-"));
  const credential = new ClientSecretCredential(
    connection.tenantId,
    connection.clientId,
    connection.clientSecret,
    { cloud },
  );
  const fs = createFsClient({ credential, accountName: "testacct", cloud });
  const root = `/readme-${Date.now()}`;
  try {
    await writeFile(path.join(dir, "big.parquet"), Buffer.alloc(100_000, 9));
    await fs.mkdir(`${root}/2024`);
    await fs.writeFile(`${root}/2024/hello.txt`, "hello, lake");
    expect((await fs.cat(`${root}/2024/hello.txt`)).toString()).toBe("hello, lake");
    const progress: number[] = [];
    await fs.put(path.join(dir, "big.parquet"), `${root}/2024/big.parquet`, {
      onProgress: (p) => progress.push(p.bytesTransferred),
    });
    expect(progress.at(-1)).toBe(100_000);
    await fs.get(`${root}/2024/big.parquet`, path.join(dir, "copy.parquet"), { checksum: "sha256" });
    expect((await readFile(path.join(dir, "copy.parquet"))).equals(Buffer.alloc(100_000, 9))).toBe(true);
    const names = [];
    for await (const entry of fs.list(`${root}/2024`)) names.push([entry.pathSuffix, entry.length]);
    expect(names).toEqual([
      ["big.parquet", 100_000],
      ["hello.txt", 11],
    ]);
    await fs.writeFile(`${root}/x/y.csv`, "a,b");
    const csv = [];
    for await (const entry of fs.glob(`${root}/**/*.csv`)) csv.push(entry.path);
    expect(csv).toEqual([`${root}/x/y.csv`]);
    await fs.rm(root, { recursive: true });
    expect(await fs.exists(root)).toBe(false);
  } finally {
    await fs.close();
    await rm(dir, { recursive: true, force: true });
  }
});
