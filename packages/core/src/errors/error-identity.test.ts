import { fileURLToPath } from "node:url";
import { importSecondCopy } from "@adlkit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as first from "../index.js";

type Core = typeof first;

/** Every error class of core, with how to make one and the classes it is (itself and its ancestors). */
const CLASSES = {
  AdlkitError: { make: (c: Core) => new c.AdlkitError("x", { code: "X" }), is: ["AdlkitError"] },
  HttpError: {
    make: (c: Core) => new c.HttpError("x", { status: 500, method: "GET", url: "https://h/" }),
    is: ["AdlkitError", "HttpError"],
  },
  ThrottledError: {
    make: (c: Core) => new c.ThrottledError("x", { method: "GET", url: "https://h/" }),
    is: ["AdlkitError", "HttpError", "ThrottledError"],
  },
  NetworkError: {
    make: (c: Core) => new c.NetworkError("GET", "https://h/", new Error("reset")),
    is: ["AdlkitError", "NetworkError"],
  },
  TimeoutError: { make: (c: Core) => new c.TimeoutError("t"), is: ["AdlkitError", "TimeoutError"] },
  AbortError: { make: (c: Core) => new c.AbortError(), is: ["AdlkitError", "AbortError"] },
  InvalidArgumentError: {
    make: (c: Core) => new c.InvalidArgumentError("limit", "must be >= 0"),
    is: ["AdlkitError", "InvalidArgumentError"],
  },
} as const;
type Name = keyof typeof CLASSES;
const NAMES = Object.keys(CLASSES) as Name[];

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

  it.each(NAMES)(
    "%s.isInstance recognises its own instances (and subclasses') only, from either copy",
    (name) => {
      const { make, is } = CLASSES[name];
      for (const [maker, checker] of [
        [second.module, first],
        [first, second.module],
        [first, first],
      ] as const) {
        const err = make(maker);
        for (const other of NAMES) {
          expect([other, checker[other].isInstance(err)]).toEqual([
            other,
            (is as readonly string[]).includes(other),
          ]);
        }
      }
    },
  );

  it("HttpError.isInstance(new TimeoutError()) is false (the issue's example)", () => {
    expect(first.HttpError.isInstance(new second.module.TimeoutError("t"))).toBe(false);
    expect(first.AdlkitError.isInstance(new second.module.TimeoutError("t"))).toBe(true);
  });
});
