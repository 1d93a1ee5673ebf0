import { describe, expect, it } from "vitest";
import {
  parseDate,
  parseDuration,
  parseEnabled,
  parseInteger,
  parseMode,
  parseSize,
  parseTag,
} from "./parse-values.js";

describe("option values", () => {
  it.each([
    ["4194304", 4194304],
    ["4M", 4 * 1024 ** 2],
    ["4MiB", 4 * 1024 ** 2],
    ["4mb", 4_000_000],
    ["64K", 65536],
    ["1.5G", 1.5 * 1024 ** 3],
    ["10b", 10],
  ])("parseSize(%s) = %d", (text, bytes) => expect(parseSize(text)).toBe(bytes));
  it.each(["", "M", "4X", "-1", "0", "1.2.3"])("parseSize rejects %j", (text) =>
    expect(() => parseSize(text)).toThrow(/size/),
  );

  it("parseSize keeps to a range, named in the units the user types", () => {
    const range = { min: 1024 ** 2, max: 1024 ** 3 };
    expect(parseSize("1M", range)).toBe(1024 ** 2);
    expect(parseSize("1G", range)).toBe(1024 ** 3);
    expect(() => parseSize("1", range)).toThrow("expected a size from 1M to 1G, got '1'");
    expect(() => parseSize("1025M", range)).toThrow(/from 1M to 1G/);
  });

  it("parseDuration takes 0 where the caller allows it", () => {
    expect(parseDuration("0", 0)).toBe(0);
    expect(parseDuration("0s", 0)).toBe(0);
    expect(() => parseDuration("0")).toThrow(/at least 1 ms/);
  });

  it.each([
    ["90s", 90_000],
    ["15m", 900_000],
    ["12h", 43_200_000],
    ["30d", 2_592_000_000],
    ["2w", 1_209_600_000],
    ["250", 250],
    ["250ms", 250],
  ])("parseDuration(%s) = %d", (text, ms) => expect(parseDuration(text)).toBe(ms));
  it.each(["", "1y", "soon", "0s", "-5m"])("parseDuration rejects %j", (text) =>
    expect(() => parseDuration(text)).toThrow(/duration/),
  );

  it("parses ISO dates and rejects the rest", () => {
    expect(parseDate("2030-01-31")).toBe(Date.UTC(2030, 0, 31));
    expect(parseDate("2030-01-31T12:00:00Z")).toBe(Date.UTC(2030, 0, 31, 12));
    expect(() => parseDate("tomorrow")).toThrow(/ISO date/);
    expect(() => parseDate("2030-13-45")).toThrow(/ISO date/);
  });

  it("parses bounded integers", () => {
    expect(parseInteger("8", 1, 256)).toBe(8);
    expect(() => parseInteger("0", 1, 256)).toThrow(/from 1 to 256/);
    expect(() => parseInteger("1.5")).toThrow(/whole number/);
    expect(() => parseInteger("x")).toThrow(/whole number/);
  });

  it("collects tags", () => {
    expect(parseTag("b=2", parseTag("a=1", undefined))).toEqual({ a: "1", b: "2" });
    expect(parseTag("k=", undefined)).toEqual({ k: "" });
    expect(() => parseTag("=v", undefined)).toThrow(/key=value/);
    expect(() => parseTag("k", undefined)).toThrow(/key=value/);
  });

  it.each([
    ["755", "755"],
    ["0755", "755"],
    ["1777", "1777"],
  ])("parseMode(%s) = %s", (text, mode) => expect(parseMode(text)).toBe(mode));
  it.each(["888", "75", "rwx", "27777"])("parseMode rejects %s", (text) =>
    expect(() => parseMode(text)).toThrow(/octal/),
  );

  it("reads Enabled/Disabled loosely", () => {
    expect(parseEnabled("on")).toBe("Enabled");
    expect(parseEnabled("Disabled")).toBe("Disabled");
    expect(() => parseEnabled("maybe")).toThrow(/Enabled or Disabled/);
  });
});
