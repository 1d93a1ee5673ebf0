import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DataDirectoryInUseError, DataDirectoryLock } from "./data-lock.js";

/** Issue 16, finding 10: the data directory lock, in one process (the bin test covers two processes). */
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "adl-lock-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const lockFile = () => path.join(dir, "emulator.lock");
const deadPid = () => spawnSync(process.execPath, ["-e", ""]).pid!;

describe("DataDirectoryLock", () => {
  it("refuses a second holder in the same process, naming the first, until the first releases", () => {
    const first = DataDirectoryLock.acquire(dir);
    first.setPort(8443);
    const refused = (() => {
      try {
        DataDirectoryLock.acquire(dir);
      } catch (err) {
        return err;
      }
    })();
    expect(refused).toBeInstanceOf(DataDirectoryInUseError);
    expect((refused as Error).message).toContain(`pid ${process.pid}, port 8443`);
    first.release();
    DataDirectoryLock.acquire(dir).release();
  });

  it("takes over a lock whose process is gone", () => {
    writeFileSync(
      lockFile(),
      JSON.stringify({ pid: deadPid(), port: 1, startedAt: "x", processStart: null, token: "dead" }),
    );
    const lock = DataDirectoryLock.acquire(dir);
    expect(JSON.parse(readFileSync(lockFile(), "utf8")).pid).toBe(process.pid);
    lock.release();
  });

  it("takes over a lock with this process's pid that no emulator of this process holds (a pid reused after a restart)", () => {
    writeFileSync(
      lockFile(),
      JSON.stringify({ pid: process.pid, port: 1, startedAt: "x", processStart: null, token: "old" }),
    );
    DataDirectoryLock.acquire(dir).release();
  });

  it("takes over a lock whose pid now belongs to another process (its start time differs), where /proc tells", () => {
    const parent = process.ppid;
    writeFileSync(
      lockFile(),
      JSON.stringify({ pid: parent, port: 1, startedAt: "x", processStart: "1", token: "t" }),
    );
    let proc = true;
    try {
      readFileSync(`/proc/${parent}/stat`);
    } catch {
      proc = false;
    }
    if (proc) DataDirectoryLock.acquire(dir).release();
    else expect(() => DataDirectoryLock.acquire(dir)).toThrow(DataDirectoryInUseError);
  });

  it("an unreadable lock file is not a holder", () => {
    writeFileSync(lockFile(), "{half");
    DataDirectoryLock.acquire(dir).release();
  });

  it("release leaves a lock that is no longer ours alone", () => {
    const lock = DataDirectoryLock.acquire(dir);
    writeFileSync(
      lockFile(),
      JSON.stringify({ pid: process.pid, port: 2, startedAt: "x", processStart: null, token: "other" }),
    );
    lock.release();
    expect(JSON.parse(readFileSync(lockFile(), "utf8")).token).toBe("other");
  });
});
