import { fileURLToPath } from "node:url";
import { type ErrorClassCase, identityMismatches, importSecondCopy } from "@adlkit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as first from "./index.js";

type AuthModule = typeof first;

const CLASSES: Record<string, ErrorClassCase<AuthModule>> = {
  AuthenticationError: { make: (m) => new m.AuthenticationError("x"), is: ["AuthenticationError"] },
  CredentialUnavailableError: {
    make: (m) => new m.CredentialUnavailableError("x"),
    is: ["CredentialUnavailableError"],
  },
};

describe("error identity across two installed copies of @adlkit/auth", () => {
  let second: { module: AuthModule; remove: () => Promise<void> };
  beforeAll(async () => {
    second = await importSecondCopy<AuthModule>(fileURLToPath(new URL("..", import.meta.url)));
  });
  afterAll(() => second.remove());

  it("really has two copies", () => {
    expect(second.module.AuthenticationError).not.toBe(first.AuthenticationError);
  });

  it.each(Object.keys(CLASSES))("%s.isInstance: its own instances only, from either copy", (name) => {
    expect(identityMismatches([first, second.module], CLASSES, name)).toEqual([]);
  });
});
