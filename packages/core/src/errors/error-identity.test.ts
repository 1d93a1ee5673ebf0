import { fileURLToPath } from "node:url";
import { type ErrorClassCase, identityMismatches, importSecondCopy } from "@adlkit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as first from "../index.js";

type Core = typeof first;

const CLASSES: Record<string, ErrorClassCase<Core>> = {
  AdlkitError: { make: (c) => new c.AdlkitError("x", { code: "X" }), is: ["AdlkitError"] },
  HttpError: {
    make: (c) => new c.HttpError("x", { status: 500, method: "GET", url: "https://h/" }),
    is: ["AdlkitError", "HttpError"],
  },
  ThrottledError: {
    make: (c) => new c.ThrottledError("x", { method: "GET", url: "https://h/" }),
    is: ["AdlkitError", "HttpError", "ThrottledError"],
  },
  NetworkError: {
    make: (c) => new c.NetworkError("GET", "https://h/", new Error("reset")),
    is: ["AdlkitError", "NetworkError"],
  },
  TimeoutError: { make: (c) => new c.TimeoutError("t"), is: ["AdlkitError", "TimeoutError"] },
  AbortError: { make: (c) => new c.AbortError(), is: ["AdlkitError", "AbortError"] },
  InvalidArgumentError: {
    make: (c) => new c.InvalidArgumentError("limit", "must be >= 0"),
    is: ["AdlkitError", "InvalidArgumentError"],
  },
};

describe("error identity across two installed copies of @adlkit/core", () => {
  let second: { module: Core; remove: () => Promise<void> };
  beforeAll(async () => {
    second = await importSecondCopy<Core>(fileURLToPath(new URL("../..", import.meta.url)));
  });
  afterAll(() => second.remove());

  it("really has two copies: instanceof fails across them", () => {
    expect(second.module.HttpError).not.toBe(first.HttpError);
    expect(new second.module.TimeoutError("t")).not.toBeInstanceOf(first.AdlkitError);
  });

  it.each(Object.keys(CLASSES))(
    "%s.isInstance: its own instances and its subclasses', from either copy",
    (name) => {
      expect(identityMismatches([first, second.module], CLASSES, name)).toEqual([]);
    },
  );

  it("HttpError.isInstance(new TimeoutError()) is false (the issue's example)", () => {
    expect(first.HttpError.isInstance(new second.module.TimeoutError("t"))).toBe(false);
    expect(first.AdlkitError.isInstance(new second.module.TimeoutError("t"))).toBe(true);
  });
});
