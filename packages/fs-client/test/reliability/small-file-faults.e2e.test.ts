import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type RunningEmulator, startEmulator } from "@adlkit/emulator";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { PathExistsError } from "../../src/index.js";
import { setupFor, type TestContext } from "../helpers.js";

/**
 * Small files go up as one CREATE carrying the data. Without `overwrite` such a CREATE may not be blindly
 * repeated, so these tests fail it in the ways that leave its outcome unknown and check the client finds out.
 */
describe("single-CREATE uploads under faults", () => {
  let emulator: RunningEmulator;
  let dir: string;
  let t: TestContext;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "fs-client-small-faults-"));
    emulator = await startEmulator({
      port: 0,
      dataDir: path.join(dir, "emulator"),
      config: { accounts: ["small"] },
    });
    t = setupFor(emulator.connection, emulator.caPem, "small", "small", {
      retry: { limit: 4, baseDelayInMs: 10, maxDelayInMs: 200 },
    });
  });
  afterAll(async () => {
    await t?.client.close();
    await emulator?.close();
    await rm(dir, { recursive: true, force: true });
  });
  afterEach(() => emulator.services.faults.clear());

  async function localFile(name: string, size: number): Promise<{ file: string; data: Buffer }> {
    const data = randomBytes(size);
    const file = path.join(dir, name);
    await writeFile(file, data);
    return { file, data };
  }

  const creates = () => emulator.services.journal.entries((e) => e.op === "CREATE");

  it("retries a CREATE that failed with a 500 (nothing landed)", async () => {
    const { file, data } = await localFile("a.bin", 3000);
    emulator.services.faults.set([{ area: "fs", op: "CREATE", status: 500, times: 1 }]);
    await t.client.put(file, `${t.root}/a.bin`);
    expect(await t.client.cat(`${t.root}/a.bin`)).toEqual(data);
  });

  it("recognises its own file after a CREATE whose answer was lost", async () => {
    const { file, data } = await localFile("b.bin", 5000);
    const before = creates().length;
    emulator.services.faults.set([{ area: "fs", op: "CREATE", action: "lose-response", times: 1 }]);
    await t.client.put(file, `${t.root}/b.bin`);
    expect(await t.client.cat(`${t.root}/b.bin`)).toEqual(data);
    const attempts = creates().slice(before);
    expect(attempts[0]?.fault).toMatch(/lose-response/);
    // It looked instead of repeating: its bytes were there, so no second CREATE (which would meet "already exists").
    expect(attempts).toHaveLength(1);
  });

  it("still refuses to replace someone else's file", async () => {
    await t.client.writeFile(`${t.root}/c.bin`, "theirs");
    const { file } = await localFile("c.bin", 100);
    await expect(t.client.put(file, `${t.root}/c.bin`)).rejects.toBeInstanceOf(PathExistsError);
    expect((await t.client.cat(`${t.root}/c.bin`)).toString()).toBe("theirs");
  });

  it("refuses an identical file that was there before, even when the CREATE's answer is lost", async () => {
    const { file, data } = await localFile("d.bin", 4000);
    await t.client.writeFile(`${t.root}/d.bin`, data);
    const before = creates().length;
    emulator.services.faults.set([{ area: "fs", op: "CREATE", action: "lose-response", times: 1 }]);
    const failure = await t.client.put(file, `${t.root}/d.bin`).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(PathExistsError);
    // adlkit found it by its own look: no service error status is claimed for it.
    expect((failure as PathExistsError).status).toBeUndefined();
    expect(creates().slice(before)).toHaveLength(0);
  });

  it("in a tree, refuses an identical file already in the target directory", async () => {
    const tree = path.join(dir, "tree");
    await rm(tree, { recursive: true, force: true });
    await mkdir(tree);
    const data = randomBytes(700);
    await writeFile(path.join(tree, "same.bin"), data);
    await t.client.mkdir(`${t.root}/tree`);
    await t.client.writeFile(`${t.root}/tree/same.bin`, data);
    emulator.services.faults.set([{ area: "fs", op: "CREATE", action: "lose-response", times: 1 }]);
    await expect(t.client.put(tree, `${t.root}/tree`)).rejects.toBeInstanceOf(PathExistsError);
  });
});
