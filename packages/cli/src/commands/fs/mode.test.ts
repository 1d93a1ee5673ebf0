import { describe, expect, it } from "vitest";
import { applyMode, parseModeChange } from "./mode.js";

const apply = (mode: string, current: string, directory = false) =>
  applyMode(parseModeChange(mode), current, directory);

describe("chmod modes", () => {
  it("sets an octal mode as it is, whatever the current one", () => {
    expect(apply("750", "777")).toBe("750");
    expect(apply("0640", "1777")).toBe("640");
    expect(apply("1777", "000", true)).toBe("1777");
  });

  it.each([
    ["u+x", "640", false, "740"],
    ["g-w", "770", false, "750"],
    ["o=r", "777", false, "774"],
    ["a+r", "600", false, "644"],
    ["+x", "640", false, "751"],
    ["u=rwx,g=rx,o=", "000", false, "750"],
    ["go-rwx", "777", false, "700"],
    ["ug+w,o-r", "444", false, "660"],
    ["u+r-w", "200", false, "400"],
    ["a=", "777", false, "000"],
    ["u=r,u+w", "000", false, "600"],
  ])("%s on %s (directory: %s) gives %s", (mode, current, directory, expected) => {
    expect(apply(mode, current, directory)).toBe(expected);
  });

  it("gives X (execute) to directories, and to files only when some execute bit is set", () => {
    expect(apply("a+rX", "700", true)).toBe("755");
    expect(apply("a+rX", "600", false)).toBe("644");
    expect(apply("a+rX", "744", false)).toBe("755");
    // X sees the bits as they are by then: the first clause gives u execute, the second spreads it.
    expect(apply("u+x,go+X", "600", false)).toBe("711");
    expect(apply("a-X", "755", true)).toBe("644");
  });

  it("handles the sticky bit only where others are included", () => {
    expect(apply("+t", "777", true)).toBe("1777");
    expect(apply("o+t", "770", true)).toBe("1770");
    expect(apply("a+t", "770", true)).toBe("1770");
    expect(apply("u+t", "770", true)).toBe("770");
    expect(apply("-t", "1777", true)).toBe("777");
    expect(apply("o=rx", "1777", true)).toBe("775"); // = clears what it does not set, t included
    expect(apply("o=rxt", "777", true)).toBe("1775");
    expect(apply("u=rwx", "1750", true)).toBe("1750"); // u does not touch t
    expect(apply("g+w", "1750", true)).toBe("1770");
  });

  it.each(["", "u", "x+r", "u+q", "u+x,", ",u+x", "u:x", "rwx", "u+x g-w", "8", "99999", "u=g"])(
    "refuses %j",
    (mode) => {
      expect(() => parseModeChange(mode)).toThrow(/expected an octal mode like 750|got/);
    },
  );
});
