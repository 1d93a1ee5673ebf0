import { describe, expect, it } from "vitest";
import * as v from "./validate.js";

describe("name rules", () => {
  it.each(["rg", "my-rg_1.(x)", "a".repeat(90), "grüppe"])("accepts resource group %s", (name) => {
    expect(v.resourceGroupName(name)).toBe(name);
  });
  it.each(["", "ends.", "a".repeat(91), "has space", "slash/", undefined, 5])(
    "rejects resource group %s",
    (name) => {
      expect(() => v.resourceGroupName(name)).toThrow(/resourceGroupName/);
    },
  );
  it.each(["abc", "a1b2c3", "a".repeat(24)])("accepts account %s", (name) => {
    expect(v.accountName(name)).toBe(name);
  });
  it.each(["ab", "a".repeat(25), "Upper", "with-dash", "under_score"])("rejects account %s", (name) => {
    expect(() => v.accountName(name)).toThrow(/3-24 lowercase letters and digits/);
  });
  it.each(["rule1", "Rule-1_x", "a"])("accepts child name %s", (name) => {
    expect(v.childName(name, "name")).toBe(name);
  });
  it.each(["", "a/b", "a?b", "a%b", " lead", "a".repeat(261)])("rejects child name %j", (name) => {
    expect(() => v.childName(name, "name")).toThrow(/not a valid name/);
  });
  it("turns a display region into a path segment", () => {
    expect(v.locationSegment("East US 2")).toBe("EastUS2");
    expect(v.locationSegment("eastus2")).toBe("eastus2");
    expect(() => v.locationSegment("east/us")).toThrow(/not a region/);
  });
});

describe("value rules", () => {
  it("checks firewall ranges: addresses, and the same family", () => {
    expect(() => v.ipRange("1.1.1.1", "2.2.2.2", "p", true)).not.toThrow();
    expect(() => v.ipRange("::1", "::2", "p", true)).not.toThrow();
    expect(() => v.ipRange("1.1.1.1", "::2", "p", true)).toThrow(/mixes IPv4 and IPv6/);
    expect(() => v.ipRange("1.1.1.300", "2.2.2.2", "p", true)).toThrow(
      /p\.startIpAddress must be an IPv4 or IPv6 address/,
    );
    expect(() => v.ipRange(undefined, "2.2.2.2", "p", true)).toThrow(/startIpAddress/);
    expect(() => v.ipRange(undefined, "2.2.2.2", "p", false)).not.toThrow();
  });
  it("checks tags", () => {
    expect(() => v.tags({ a: "b" }, "tags")).not.toThrow();
    expect(() => v.tags({ a: 1 }, "tags")).toThrow(/tags\.a must be a string/);
    expect(() =>
      v.tags(Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"])), "tags"),
    ).toThrow(/at most 50/);
    expect(() => v.tags({ a: "x".repeat(257) }, "tags")).toThrow(/at most 256/);
    expect(() => v.tags(["a"], "tags")).toThrow(/must be an object, got an array/);
  });
  it("checks counts, enums and abort signals", () => {
    expect(() => v.positiveInteger(0, "top")).toThrow(/integer >= 1/);
    expect(() => v.positiveInteger(1.5, "top")).toThrow(/integer >= 1/);
    expect(v.positiveInteger(undefined, "top")).toBeUndefined();
    expect(() => v.oneOf("On", ["Enabled", "Disabled"], "state")).toThrow(
      /one of Enabled, Disabled, got 'On'/,
    );
    expect(() => v.abortSignalOf({ abortSignal: {} })).toThrow(/must be an AbortSignal/);
    expect(v.abortSignalOf({ abortSignal: AbortSignal.abort() })?.aborted).toBe(true);
    expect(() => v.beginOptions({ pollIntervalInMs: -5 })).toThrow(/pollIntervalInMs/);
  });
});
