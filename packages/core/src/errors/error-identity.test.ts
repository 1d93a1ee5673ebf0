import { fileURLToPath } from "node:url";
import { describeErrorIdentity, type ErrorClassCase } from "@adlkit/testkit";
import { describe, expect, it } from "vitest";
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

describeErrorIdentity("@adlkit/core", fileURLToPath(new URL("../..", import.meta.url)), first, CLASSES);

describe("the issue's example", () => {
  it("HttpError.isInstance(new TimeoutError()) is false, AdlkitError.isInstance is true", () => {
    expect(first.HttpError.isInstance(new first.TimeoutError("t"))).toBe(false);
    expect(first.AdlkitError.isInstance(new first.TimeoutError("t"))).toBe(true);
  });
});
