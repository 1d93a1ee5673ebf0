import { describe, expect, it } from "vitest";
import {
  errorFromBody,
  normalizeStatus,
  statusFromLocationResponse,
  statusFromOperationBody,
  statusFromResourceBody,
} from "./operation-status.js";

describe("operation status", () => {
  it.each([
    ["Succeeded", "succeeded"],
    ["succeeded", "succeeded"],
    ["Failed", "failed"],
    ["ProvisioningFailed", "failed"],
    ["Canceled", "canceled"],
    ["Cancelled", "canceled"],
    ["InProgress", "running"],
    ["Creating", "running"],
    ["Deleted", "running"],
    ["Accepted", "running"],
  ])("normalises %s to %s", (raw, expected) => {
    expect(normalizeStatus(raw)).toBe(expected);
  });

  it("reads the status of an operation resource, and has none for a body without it", () => {
    expect(statusFromOperationBody({ status: "InProgress" })).toBe("running");
    expect(statusFromOperationBody({ status: "Succeeded" })).toBe("succeeded");
    expect(statusFromOperationBody({})).toBeUndefined();
    expect(statusFromOperationBody(undefined)).toBeUndefined();
    expect(statusFromOperationBody({ status: "" })).toBeUndefined();
  });

  it("treats a resource without provisioningState as succeeded", () => {
    expect(statusFromResourceBody({ properties: {} })).toBe("succeeded");
    expect(statusFromResourceBody(undefined)).toBe("succeeded");
    expect(statusFromResourceBody({ properties: { provisioningState: "Creating" } })).toBe("running");
    expect(statusFromResourceBody({ properties: { provisioningState: "Failed" } })).toBe("failed");
  });

  it("reads Location polling from the status code: 202 runs, other 2xx are done", () => {
    expect(statusFromLocationResponse(202)).toBe("running");
    expect(statusFromLocationResponse(200)).toBe("succeeded");
    expect(statusFromLocationResponse(204)).toBe("succeeded");
    expect(statusFromLocationResponse(500)).toBe("failed");
  });

  it("extracts the ARM error of a failed operation", () => {
    expect(
      errorFromBody({ status: "Failed", error: { code: "InternalError", message: "boom", target: "x" } }),
    ).toEqual({
      code: "InternalError",
      message: "boom",
      target: "x",
      details: undefined,
    });
    expect(
      errorFromBody({ properties: { provisioningState: "Failed", error: { code: "Quota", message: "q" } } })
        ?.code,
    ).toBe("Quota");
    expect(errorFromBody({ status: "Failed" })).toBeUndefined();
  });
});
