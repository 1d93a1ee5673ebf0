import { fileURLToPath } from "node:url";
import { type ErrorClassCase, identityMismatches, importSecondCopy } from "@adlkit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as first from "./index.js";

type FsClientModule = typeof first;
const init = { status: 404, method: "GET", url: "https://a/webhdfs/v1/x", operation: "OPEN", path: "/x" };

const CLASSES: Record<string, ErrorClassCase<FsClientModule>> = {
  FsError: { make: (m) => new m.FsError(init), is: ["FsError"] },
  PathNotFoundError: { make: (m) => new m.PathNotFoundError(init), is: ["FsError", "PathNotFoundError"] },
  PathExistsError: { make: (m) => new m.PathExistsError(init), is: ["FsError", "PathExistsError"] },
  AccessDeniedError: { make: (m) => new m.AccessDeniedError(init), is: ["FsError", "AccessDeniedError"] },
  BadOffsetError: { make: (m) => new m.BadOffsetError(init), is: ["FsError", "BadOffsetError"] },
  IntegrityError: {
    make: (m) => new m.IntegrityError("x", { path: "/x", expected: "1", actual: "2" }),
    is: ["IntegrityError"],
  },
};

describe("error identity across two installed copies of @adlkit/fs-client", () => {
  let second: { module: FsClientModule; remove: () => Promise<void> };
  beforeAll(async () => {
    second = await importSecondCopy<FsClientModule>(fileURLToPath(new URL("..", import.meta.url)));
  });
  afterAll(() => second.remove());

  it("really has two copies", () => {
    expect(second.module.FsError).not.toBe(first.FsError);
  });

  it.each(Object.keys(CLASSES))(
    "%s.isInstance: its own instances and its subclasses', from either copy",
    (name) => {
      expect(identityMismatches([first, second.module], CLASSES, name)).toEqual([]);
    },
  );
});
