import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  canResumeDownload,
  canResumeUpload,
  type DownloadState,
  parseState,
  readState,
  StateFile,
  type UploadState,
} from "./resume-state.js";

const upload: UploadState = {
  version: 1,
  kind: "upload",
  target: "/up/big.bin",
  source: { size: 100, mtimeMs: 1700000000000.5 },
  chunkSize: 10,
  segmentDir: "/up/big.bin.segments.abc",
  completed: [0, 3],
};

const download: DownloadState = {
  version: 1,
  kind: "download",
  source: { path: "/d/f", length: 100, modificationTime: 1700000000000 },
  chunkSize: 10,
  partialPath: "/tmp/f.adlkit-partial",
  completed: [1],
};

describe("parseState", () => {
  it("round-trips upload and download states", () => {
    expect(parseState(JSON.stringify(upload), "upload")).toEqual(upload);
    expect(parseState(JSON.stringify(download), "download")).toEqual(download);
  });

  it("rejects the wrong kind, version, garbage and malformed fields", () => {
    expect(parseState(JSON.stringify(upload), "download")).toBeUndefined();
    expect(parseState(JSON.stringify({ ...upload, version: 2 }), "upload")).toBeUndefined();
    expect(parseState("{not json", "upload")).toBeUndefined();
    expect(parseState("null", "upload")).toBeUndefined();
    expect(parseState(JSON.stringify({ ...upload, completed: [-1] }), "upload")).toBeUndefined();
    expect(parseState(JSON.stringify({ ...upload, chunkSize: 0 }), "upload")).toBeUndefined();
    expect(parseState(JSON.stringify({ ...upload, segmentDir: 5 }), "upload")).toBeUndefined();
    expect(parseState(JSON.stringify({ ...download, source: { path: "/d/f" } }), "download")).toBeUndefined();
  });
});

describe("canResume", () => {
  it("continues only with the same source, target and chunk size", () => {
    expect(
      canResumeUpload(upload, { target: upload.target, source: { ...upload.source }, chunkSize: 10 }),
    ).toBe(true);
    expect(
      canResumeUpload(upload, {
        target: upload.target,
        source: { size: 101, mtimeMs: upload.source.mtimeMs },
        chunkSize: 10,
      }),
    ).toBe(false);
    expect(
      canResumeUpload(upload, { target: upload.target, source: { size: 100, mtimeMs: 1 }, chunkSize: 10 }),
    ).toBe(false);
    expect(canResumeUpload(upload, { target: "/other", source: { ...upload.source }, chunkSize: 10 })).toBe(
      false,
    );
    expect(
      canResumeUpload(upload, { target: upload.target, source: { ...upload.source }, chunkSize: 20 }),
    ).toBe(false);
    expect(canResumeDownload(download, { source: { ...download.source }, chunkSize: 10 })).toBe(true);
    expect(
      canResumeDownload(download, { source: { ...download.source, modificationTime: 2 }, chunkSize: 10 }),
    ).toBe(false);
    expect(canResumeDownload(download, { source: { ...download.source, length: 99 }, chunkSize: 10 })).toBe(
      false,
    );
  });
});

describe("StateFile", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "fs-client-state-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("persists completions atomically, sorted, and can be read back", async () => {
    const file = path.join(dir, "s.json");
    const state = new StateFile(file, { ...upload, completed: [] });
    await Promise.all([state.markComplete(5), state.markComplete(2), state.markComplete(5)]);
    expect(JSON.parse(await readFile(file, "utf8")).completed).toEqual([2, 5]);
    expect((await readState(file, "upload"))?.completed).toEqual([2, 5]);
    expect(state.isComplete(2)).toBe(true);
    expect(state.isComplete(3)).toBe(false);
    await state.remove();
    expect(await readState(file, "upload")).toBeUndefined();
  });
});
