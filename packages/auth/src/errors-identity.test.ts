import { fileURLToPath } from "node:url";
import { describeErrorIdentity, type ErrorClassCase } from "@adlkit/testkit";
import * as first from "./index.js";

type AuthModule = typeof first;

const CLASSES: Record<string, ErrorClassCase<AuthModule>> = {
  AuthenticationError: { make: (m) => new m.AuthenticationError("x"), is: ["AuthenticationError"] },
  CredentialUnavailableError: {
    make: (m) => new m.CredentialUnavailableError("x"),
    is: ["CredentialUnavailableError"],
  },
};

describeErrorIdentity("@adlkit/auth", fileURLToPath(new URL("..", import.meta.url)), first, CLASSES);
