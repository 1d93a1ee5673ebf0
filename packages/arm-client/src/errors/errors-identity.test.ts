import { fileURLToPath } from "node:url";
import { describeErrorIdentity, type ErrorClassCase } from "@adlkit/testkit";
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

describeErrorIdentity("@adlkit/arm-client", fileURLToPath(new URL("../..", import.meta.url)), first, CLASSES);
