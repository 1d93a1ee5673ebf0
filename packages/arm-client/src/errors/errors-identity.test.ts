import { fileURLToPath } from "node:url";
import { type ErrorClassCase, identityMismatches, importSecondCopy } from "@adlkit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as first from "../index.js";

type ArmClientModule = typeof first;
const init = { status: 404, method: "GET", url: "https://m/x", code: "C", armMessage: "m" };

const CLASSES: Record<string, ErrorClassCase<ArmClientModule>> = {
  ArmError: { make: (m) => new m.ArmError(init), is: ["ArmError"] },
  AuthenticationFailedError: {
    make: (m) => new m.AuthenticationFailedError(init),
    is: ["ArmError", "AuthenticationFailedError"],
  },
  AuthorizationFailedError: {
    make: (m) => new m.AuthorizationFailedError(init),
    is: ["ArmError", "AuthorizationFailedError"],
  },
  ConflictError: { make: (m) => new m.ConflictError(init), is: ["ArmError", "ConflictError"] },
  ResourceNotFoundError: {
    make: (m) => new m.ResourceNotFoundError(init),
    is: ["ArmError", "ResourceNotFoundError"],
  },
  OperationFailedError: {
    make: (m) => new m.OperationFailedError({ operation: "o", resourcePath: "/r", status: "failed" }),
    is: ["OperationFailedError"],
  },
};

describe("error identity across two installed copies of @adlkit/arm-client", () => {
  let second: { module: ArmClientModule; remove: () => Promise<void> };
  beforeAll(async () => {
    second = await importSecondCopy<ArmClientModule>(fileURLToPath(new URL("../..", import.meta.url)));
  });
  afterAll(() => second.remove());

  it("really has two copies", () => {
    expect(second.module.ArmError).not.toBe(first.ArmError);
  });

  it.each(Object.keys(CLASSES))(
    "%s.isInstance: its own instances and its subclasses', from either copy",
    (name) => {
      expect(identityMismatches([first, second.module], CLASSES, name)).toEqual([]);
    },
  );
});
