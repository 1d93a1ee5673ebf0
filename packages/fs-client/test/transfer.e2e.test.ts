import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import tls from "node:tls";
import { AbortError } from "@adlkit/core";
import { Agent, type Dispatcher } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  downloadStatePath,
  IntegrityError,
  PathExistsError,
  partialPath,
  type TransferProgress,
  uploadStatePath,
} from "../src/index.js";
import { bytes, setup } from "./helpers.js";

const MiB = 1024 * 1024;
const t = setup("xfer");
// Scaled down: 20 MiB in 1 MiB chunks and 256 KiB blocks exercises the same paths as GiBs in 256 MiB chunks.
const client = t.makeClient({ chunkSize: MiB, blockSize: 256 * 1024, concurrency: 4 });
const data = bytes(20 * MiB + 12345, 7);
const sha = createHash("sha256").update(data).digest("hex");
let dir: string;
let source: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "fs-client-xfer-"));
  source = path.join(dir, "big.bin");
  await writeFile(source, data);
});
afterAll(async () => {
  await client.rm(t.root, { recursive: true, force: true });
  await client.close();
  await rm(dir, { recursive: true, force: true });
});

async function remoteNames(parent: string): Promise<string[]> {
  const names = [];
  for await (const entry of client.list(parent)) names.push(entry.pathSuffix);
  return names;
}

/** Aborts once `fraction` of the bytes have moved. */
function abortAfter(fraction: number): {
  controller: AbortController;
  onProgress: (p: TransferProgress) => void;
} {
  const controller = new AbortController();
  return {
    controller,
    onProgress: (p) => {
      if (p.totalBytes > 0 && p.bytesTransferred >= p.totalBytes * fraction) controller.abort();
    },
  };
}

describe("put and get of one large file", () => {
  it("uploads 20 MiB as parallel segments, joins them, and leaves no segments or state behind", async () => {
    const events: TransferProgress[] = [];
    const result = await client.put(source, `${t.root}/up/big.bin`, { onProgress: (p) => events.push(p) });
    expect(result).toMatchObject({ kind: "file", bytes: data.length, resumedBytes: 0 });
    expect(await remoteNames(`${t.root}/up`)).toEqual(["big.bin"]);
    expect(existsSync(uploadStatePath(source))).toBe(false);
    const stored = await client.cat(`${t.root}/up/big.bin`);
    expect(createHash("sha256").update(stored).digest("hex")).toBe(sha);
    const transferred = events.map((e) => e.bytesTransferred);
    expect(transferred).toEqual([...transferred].sort((a, b) => a - b));
    expect(events.at(-1)).toMatchObject({
      bytesTransferred: data.length,
      totalBytes: data.length,
      filesCompleted: 1,
      totalFiles: 1,
    });
  });

  it("with 4 MiB blocks, each CREATE/APPEND body is read from the file in 1 MiB pieces as it goes out", async () => {
    // The default block size: every body is four pieces from the two buffers of its segment.
    const wide = t.makeClient({ chunkSize: 8 * MiB, concurrency: 3 });
    try {
      const result = await wide.put(source, `${t.root}/wide/big.bin`);
      expect(result).toMatchObject({ kind: "file", bytes: data.length });
      const stored = await wide.cat(`${t.root}/wide/big.bin`);
      expect(createHash("sha256").update(stored).digest("hex")).toBe(sha);
    } finally {
      await wide.close();
    }
  });

  it.each([
    ["4 MiB blocks (1 MiB pieces)", 8 * MiB, undefined],
    ["256 KiB blocks", MiB, 256 * 1024],
  ])(
    "directIo: true reads the file around the page cache, %s and the unaligned tail byte-identical",
    async (_, chunkSize, blockSize) => {
      const direct = t.makeClient({ chunkSize, ...(blockSize ? { blockSize } : {}), concurrency: 3 });
      try {
        const target = `${t.root}/direct-${chunkSize}/big.bin`;
        const result = await direct.put(source, target, { directIo: true });
        expect(result).toMatchObject({ kind: "file", bytes: data.length });
        const stored = await direct.cat(target);
        expect(createHash("sha256").update(stored).digest("hex")).toBe(sha);
      } finally {
        await direct.close();
      }
    },
  );

  it.each([
    ["through the page cache", false],
    ["around the page cache", true],
  ])(
    "a local file that gets shorter mid-upload (read %s) fails with that reason, not as a network error, publishing nothing",
    async (_, directIo) => {
      const shrinking = path.join(dir, `shrinking-${directIo}.bin`);
      await writeFile(shrinking, data);
      const wide = t.makeClient({ chunkSize: 8 * MiB, concurrency: 3 });
      let truncated: Promise<void> | undefined;
      try {
        const failure = await wide
          .put(shrinking, `${t.root}/shrink/big.bin`, {
            directIo,
            onProgress: () => {
              truncated ??= truncate(shrinking, MiB);
            },
          })
          .then(
            () => undefined,
            (err: unknown) => err,
          );
        expect(failure).toBeInstanceOf(Error);
        expect((failure as Error).message).toMatch(
          /The local file got shorter while being uploaded \(at byte \d+\)/,
        );
        expect((failure as Error).name).not.toBe("NetworkError");
        expect(await wide.exists(`${t.root}/shrink/big.bin`)).toBe(false);
      } finally {
        await truncated;
        await wide.close();
      }
    },
  );

  it("downloads it as parallel ranges into a temp file renamed into place, byte-identical", async () => {
    const target = path.join(dir, "down", "big.bin");
    const result = await client.get(`${t.root}/up/big.bin`, target, { checksum: "sha256" });
    expect(result).toMatchObject({ kind: "file", bytes: data.length, sha256: sha });
    expect((await readFile(target)).equals(data)).toBe(true);
    expect(await readdir(path.dirname(target))).toEqual(["big.bin"]);
  });

  it("downloads byte-identical with direct I/O on and off (aligned blocks around the page cache, the tail through it)", async () => {
    for (const directIo of [true, false] as const) {
      const target = path.join(dir, `direct-${directIo}`, "big.bin");
      const result = await client.get(`${t.root}/up/big.bin`, target, { directIo, checksum: "sha256" });
      expect(result).toMatchObject({ kind: "file", bytes: data.length, sha256: sha });
      expect((await readFile(target)).equals(data)).toBe(true);
      expect(await readdir(path.dirname(target))).toEqual(["big.bin"]);
    }
    await expect(
      client.get(`${t.root}/up/big.bin`, path.join(dir, "never"), { directIo: "yes" as never }),
    ).rejects.toThrow(/directIo must be true, false or "auto"/);
  });

  it("verifies SHA-256 on upload before publishing, and refuses a download whose digest differs", async () => {
    const result = await client.put(source, `${t.root}/sum/big.bin`, { checksum: "sha256" });
    expect(result).toMatchObject({ sha256: sha });
    const target = path.join(dir, "bad-sum.bin");
    const err = await client
      .get(`${t.root}/sum/big.bin`, target, { expectedSha256: "0".repeat(64) })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IntegrityError);
    expect(existsSync(target)).toBe(false);
    expect(existsSync(partialPath(target))).toBe(false);
  });

  it("refuses to replace an existing target unless overwrite is set", async () => {
    const small = path.join(dir, "small.txt");
    await writeFile(small, "new content");
    await client.writeFile(`${t.root}/exists.txt`, "old");
    await expect(client.put(small, `${t.root}/exists.txt`)).rejects.toBeInstanceOf(PathExistsError);
    expect((await client.cat(`${t.root}/exists.txt`)).toString()).toBe("old");
    await client.put(small, `${t.root}/exists.txt`, { overwrite: true });
    expect((await client.cat(`${t.root}/exists.txt`)).toString()).toBe("new content");
    const local = path.join(dir, "exists-local.txt");
    await writeFile(local, "mine");
    await expect(client.get(`${t.root}/exists.txt`, local)).rejects.toThrow(/already exists/);
    expect(await readFile(local, "utf8")).toBe("mine");
  });

  it("uploads and downloads an empty file", async () => {
    const empty = path.join(dir, "empty");
    await writeFile(empty, "");
    await client.put(empty, `${t.root}/empty`);
    expect((await client.stat(`${t.root}/empty`)).length).toBe(0);
    await client.get(`${t.root}/empty`, path.join(dir, "empty-back"));
    expect((await readFile(path.join(dir, "empty-back"))).length).toBe(0);
  });
});

describe("abort and resume", () => {
  it("an aborted upload removes its segments and state, and publishes nothing", async () => {
    const { controller, onProgress } = abortAfter(0.3);
    const err = await client
      .put(source, `${t.root}/abort/big.bin`, { abortSignal: controller.signal, onProgress })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AbortError);
    expect(await client.exists(`${t.root}/abort/big.bin`)).toBe(false);
    expect((await remoteNames(`${t.root}/abort`)).filter((n) => n.includes(".segments."))).toEqual([]);
    expect(existsSync(uploadStatePath(source))).toBe(false);
  });

  it("an upload aborted with keepPartialOnAbort resumes, sending only the missing segments", async () => {
    const target = `${t.root}/resume/big.bin`;
    const { controller, onProgress } = abortAfter(0.4);
    await expect(
      client.put(source, target, { abortSignal: controller.signal, onProgress, keepPartialOnAbort: true }),
    ).rejects.toBeInstanceOf(AbortError);
    expect(existsSync(uploadStatePath(source))).toBe(true);
    expect(await client.exists(target)).toBe(false);
    const result = await client.put(source, target);
    expect(result.kind === "file" && result.resumedBytes).toBeGreaterThan(0);
    expect(result.kind === "file" && result.resumedBytes).toBeLessThan(data.length);
    expect(
      createHash("sha256")
        .update(await client.cat(target))
        .digest("hex"),
    ).toBe(sha);
    expect(await remoteNames(`${t.root}/resume`)).toEqual(["big.bin"]);
    expect(existsSync(uploadStatePath(source))).toBe(false);
  });

  it("resume: false after an interrupted upload deletes its segments, starts over and says so", async () => {
    const target = `${t.root}/restart/big.bin`;
    const { controller, onProgress } = abortAfter(0.4);
    await expect(
      client.put(source, target, { abortSignal: controller.signal, onProgress, keepPartialOnAbort: true }),
    ).rejects.toBeInstanceOf(AbortError);
    expect((await remoteNames(`${t.root}/restart`)).filter((n) => n.includes(".segments."))).toHaveLength(1);
    const result = await client.put(source, target, { resume: false });
    expect(result).toMatchObject({ kind: "file", resumedBytes: 0, startedOver: true });
    // The earlier run's segment directory is gone, not left behind next to the new file.
    expect(await remoteNames(`${t.root}/restart`)).toEqual(["big.bin"]);
    expect(existsSync(uploadStatePath(source))).toBe(false);
    // A first upload (no state file) has nothing to start over from.
    expect(await client.put(source, `${t.root}/restart/again.bin`)).not.toHaveProperty("startedOver");
  });

  it("a state file naming a directory that is not its own segment directory never gets it deleted", async () => {
    const target = `${t.root}/guard/big.bin`;
    const precious = `${t.root}/guard/precious`;
    await client.writeFile(`${precious}/keep.txt`, "keep");
    await writeFile(
      uploadStatePath(source),
      JSON.stringify({
        version: 1,
        kind: "upload",
        target,
        source: { size: 1, mtimeMs: 1 },
        chunkSize: MiB,
        segmentDir: precious,
        completed: [0],
      }),
    );
    const result = await client.put(source, target, { resume: false });
    expect(result).toMatchObject({ kind: "file", startedOver: true });
    expect((await client.cat(`${precious}/keep.txt`)).toString()).toBe("keep");
  });

  it("an aborted download removes its partial file; with keepPartialOnAbort it resumes", async () => {
    const target = path.join(dir, "abort-down.bin");
    const first = abortAfter(0.3);
    await expect(
      client.get(`${t.root}/up/big.bin`, target, {
        abortSignal: first.controller.signal,
        onProgress: first.onProgress,
      }),
    ).rejects.toBeInstanceOf(AbortError);
    expect(
      existsSync(target) || existsSync(partialPath(target)) || existsSync(downloadStatePath(target)),
    ).toBe(false);

    const second = abortAfter(0.4);
    await expect(
      client.get(`${t.root}/up/big.bin`, target, {
        abortSignal: second.controller.signal,
        onProgress: second.onProgress,
        keepPartialOnAbort: true,
      }),
    ).rejects.toBeInstanceOf(AbortError);
    expect(existsSync(target)).toBe(false);
    expect(existsSync(downloadStatePath(target))).toBe(true);
    // Resumed with direct I/O (the partial file was written through the page cache): same bytes.
    const result = await client.get(`${t.root}/up/big.bin`, target, { directIo: true });
    expect(result.kind === "file" && result.resumedBytes).toBeGreaterThan(0);
    expect((await readFile(target)).equals(data)).toBe(true);
    expect(existsSync(downloadStatePath(target)) || existsSync(partialPath(target))).toBe(false);
  });

  it("a changed source starts over instead of resuming", async () => {
    const local = path.join(dir, "changing.bin");
    await writeFile(local, bytes(3 * MiB, 3));
    const target = `${t.root}/changing.bin`;
    const { controller, onProgress } = abortAfter(0.5);
    await client
      .put(local, target, { abortSignal: controller.signal, onProgress, keepPartialOnAbort: true })
      .catch(() => {});
    const changed = bytes(3 * MiB, 4);
    await writeFile(local, changed);
    const result = await client.put(local, target);
    expect(result.kind === "file" && result.resumedBytes).toBe(0);
    expect((await client.cat(target)).equals(changed)).toBe(true);
  });
});

describe("directory trees", () => {
  it("put and get copy a tree with nested and empty directories", async () => {
    const tree = path.join(dir, "tree");
    const files: Record<string, Buffer> = {
      "a.txt": Buffer.from("a"),
      "sub/b.bin": bytes(3 * MiB + 5, 11),
      "sub/deeper/c.txt": Buffer.from("c"),
      "other/d.txt": Buffer.from(""),
    };
    for (const [rel, content] of Object.entries(files)) {
      await import("node:fs/promises").then((m) =>
        m.mkdir(path.dirname(path.join(tree, rel)), { recursive: true }),
      );
      await writeFile(path.join(tree, rel), content);
    }
    await import("node:fs/promises").then((m) => m.mkdir(path.join(tree, "empty"), { recursive: true }));
    const up = await client.put(tree, `${t.root}/tree`);
    expect(up).toMatchObject({ kind: "tree", files: 4, directories: 1 });
    expect((await client.stat(`${t.root}/tree/empty`)).type).toBe("DIRECTORY");

    const back = path.join(dir, "tree-back");
    const down = await client.get(`${t.root}/tree`, back);
    expect(down).toMatchObject({ kind: "tree", files: 4 });
    for (const [rel, content] of Object.entries(files))
      expect((await readFile(path.join(back, rel))).equals(content)).toBe(true);
    expect(await readdir(path.join(back, "empty"))).toEqual([]);
  });

  it("with skipCompleted, running put/get of a tree again finishes it: done files stay, changed ones are refused", async () => {
    const { mkdir, utimes, rm: remove } = await import("node:fs/promises");
    const tree = path.join(dir, "again");
    const names = ["one.txt", "two.bin", "sub/three.txt", "sub/four.bin"];
    const content = (name: string) => bytes(name.endsWith(".bin") ? 2 * MiB + 3 : 700, name.length);
    for (const name of names) {
      await mkdir(path.dirname(path.join(tree, name)), { recursive: true });
      await writeFile(path.join(tree, name), content(name));
    }
    const remoteRoot = `${t.root}/again`;
    expect(await client.put(tree, remoteRoot)).toMatchObject({ files: 4, skippedFiles: 0 });
    // As if the first run had been cut short: two files never arrived.
    await client.rm(`${remoteRoot}/two.bin`);
    await client.rm(`${remoteRoot}/sub/three.txt`);
    const again = await client.put(tree, remoteRoot, { skipCompleted: true });
    expect(again).toMatchObject({ kind: "tree", files: 4, skippedFiles: 2 });
    await expect(client.put(tree, remoteRoot)).rejects.toBeInstanceOf(PathExistsError); // the default: refuse
    for (const name of names)
      expect((await client.cat(`${remoteRoot}/${name}`)).equals(content(name)), name).toBe(true);
    // A source changed after the upload (newer than the copy) is not skipped: without overwrite, refused.
    const later = new Date(Date.now() + 60_000);
    await utimes(path.join(tree, "one.txt"), later, later);
    await expect(client.put(tree, remoteRoot, { skipCompleted: true })).rejects.toBeInstanceOf(
      PathExistsError,
    );

    // Downloads the same way: a local tree missing one file gets just that one.
    const back = path.join(dir, "again-back");
    expect(await client.get(remoteRoot, back)).toMatchObject({ files: 4, skippedFiles: 0 });
    await remove(path.join(back, "sub", "four.bin"));
    const down = await client.get(remoteRoot, back, { skipCompleted: true });
    expect(down).toMatchObject({ files: 4, skippedFiles: 3 });
    for (const name of names)
      expect((await readFile(path.join(back, name))).equals(content(name))).toBe(true);
  });

  it("small files go up as one CREATE each, their lengths checked by one listing, with no state files", async () => {
    const many = path.join(dir, "many");
    await import("node:fs/promises").then((m) => m.mkdir(many, { recursive: true }));
    const files = Array.from({ length: 60 }, (_, i) => [`f${String(i).padStart(3, "0")}`, bytes(i * 97, i)]);
    for (const [name, content] of files) await writeFile(path.join(many, name as string), content as Buffer);
    const ops: string[] = [];
    const agent = new Agent({ connect: { ca: [...tls.rootCertificates, t.fixture.caPem] } });
    const counting: Dispatcher = agent.compose((dispatch) => (opts, handler) => {
      ops.push(/[?&]op=([A-Z]+)/i.exec(String(opts.path))?.[1]?.toUpperCase() ?? "?");
      return dispatch(opts, handler);
    });
    const counted = t.makeClient({ dispatcher: counting, concurrency: 4 });
    try {
      const up = await counted.put(many, `${t.root}/many`);
      expect(up).toMatchObject({
        kind: "tree",
        files: 60,
        bytes: files.reduce((n, [, c]) => n + (c as Buffer).length, 0),
      });
      expect(ops.filter((op) => op === "CREATE")).toHaveLength(60);
      expect(ops.filter((op) => op === "LISTSTATUS")).toHaveLength(1);
      // One look at the target directory (new, so no file in it needs a look of its own before its CREATE).
      expect(ops.filter((op) => op === "GETFILESTATUS")).toHaveLength(1);
      expect(ops.filter((op) => op === "MSCONCAT" || op === "APPEND")).toEqual([]);
      expect((await readdir(many)).filter((n) => n.includes(".adlkit-"))).toEqual([]);
      for (const [name, content] of files)
        expect((await client.cat(`${t.root}/many/${name}`)).equals(content as Buffer)).toBe(true);
      // Existing targets are refused without overwrite, replaced with it.
      await expect(counted.put(many, `${t.root}/many`)).rejects.toBeInstanceOf(PathExistsError);
      await expect(counted.put(many, `${t.root}/many`, { overwrite: true })).resolves.toMatchObject({
        files: 60,
      });
    } finally {
      await counted.close();
      await agent.close();
    }
  });
});
