import { existsSync, mkdtempSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { configPath, loadConfig, updateConfig } from "./config-file.js";

describe("updateConfig", () => {
  it("lands every one of several changes made at once (none is written over by another)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "adl-config-"));
    const names = Array.from({ length: 8 }, (_, i) => `p${i}`);
    await Promise.all(
      names.map((name) =>
        updateConfig(dir, (config) => {
          config.profiles[name] = { account: name };
        }),
      ),
    );
    expect(Object.keys((await loadConfig(dir)).profiles).sort()).toEqual(names);
    expect(existsSync(`${configPath(dir)}.lock`)).toBe(false);
  });

  it("takes over a lock left by an adl that died, and leaves none when the change fails", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "adl-config-"));
    const lock = `${configPath(dir)}.lock`;
    writeFileSync(lock, "");
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    const { result } = await updateConfig(dir, (config) => {
      config.current = "x";
      return "changed";
    });
    expect(result).toBe("changed");
    await expect(
      updateConfig(dir, () => {
        throw new Error("refused");
      }),
    ).rejects.toThrow("refused");
    expect(existsSync(lock)).toBe(false);
    expect((await loadConfig(dir)).current).toBe("x");
  });
});
