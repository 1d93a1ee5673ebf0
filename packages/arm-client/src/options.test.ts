import { publicCloud } from "@adlkit/core";
import type { TokenCredential } from "@azure/core-auth";
import { describe, expect, it } from "vitest";
import { API_VERSIONS } from "./api-versions.js";
import { type ArmClientOptions, resolveOptions } from "./options.js";

const credential: TokenCredential = { getToken: async () => null };
const SUB = "00000000-0000-0000-0000-000000000001";

describe("resolveOptions", () => {
  it("fills in the documented defaults", () => {
    const resolved = resolveOptions({ credential, subscriptionId: SUB });
    expect(resolved.cloud).toBe(publicCloud);
    expect(resolved.timeoutInMs).toBe(60_000);
    expect(resolved.pollIntervalInMs).toBe(2_000);
    expect(resolved.userAgentPrefix).toBe("");
    expect(resolved.apiVersions).toEqual(API_VERSIONS);
  });

  it("takes another Microsoft.Storage api-version, previews included, and keeps the others", () => {
    for (const storage of ["2021-06-01", "2024-01-01-preview", "2024-02-29"]) {
      const resolved = resolveOptions({ credential, subscriptionId: SUB, apiVersions: { storage } });
      expect(resolved.apiVersions).toEqual({ ...API_VERSIONS, storage });
    }
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ["a missing credential", { credential: undefined }, /options\.credential is required/],
    ["a credential without getToken", { credential: {} }, /options\.credential/],
    [
      "a missing subscription",
      { subscriptionId: undefined },
      /options\.subscriptionId must be a subscription GUID, got undefined/,
    ],
    ["a subscription that is not a GUID", { subscriptionId: "my-sub" }, /got 'my-sub'/],
    [
      "an http endpoint",
      { cloud: { ...publicCloud, resourceManagerEndpoint: "http://localhost" } },
      /must be https/,
    ],
    [
      "an endpoint that is not a URL",
      { cloud: { ...publicCloud, resourceManagerEndpoint: "nope" } },
      /is not a URL/,
    ],
    [
      "a cloud without an audience",
      { cloud: { ...publicCloud, resourceManagerAudience: "" } },
      /resourceManagerAudience is required/,
    ],
    ["a negative poll interval", { pollIntervalInMs: -1 }, /pollIntervalInMs must be a number >= 0/],
    ["a zero timeout", { timeoutInMs: 0 }, /timeoutInMs must be a number > 0/],
    ["a bad retry limit", { retry: { limit: -2 } }, /retry\.limit must be an integer >= 0/],
    ["a multi-line user agent", { userAgentPrefix: "a\nb" }, /single-line/],
    ["an unknown option", { pollingInterval: 5 }, /options\.pollingInterval is not an option/],
    ["a removed option", { baseUri: "https://x" }, /options\.baseUri is not supported: pass a cloud/],
    [
      "apiVersions that are not an object",
      { apiVersions: "2024-01-01" },
      /options\.apiVersions must be an object/,
    ],
    [
      "an api-version that is no date",
      { apiVersions: { storage: "2023-02-29" } },
      /options\.apiVersions\.storage must be an api-version/,
    ],
    [
      "an api-version with a suffix",
      { apiVersions: { storage: "2023-01-01-beta" } },
      /must be an api-version/,
    ],
    [
      "a fixed api-version",
      { apiVersions: { resourceGroups: "2021-04-01" } },
      /resourceGroups cannot be chosen/,
    ],
  ])("rejects %s", (_, patch, message) => {
    const options = { credential, subscriptionId: SUB, ...patch } as unknown as ArmClientOptions;
    expect(() => resolveOptions(options)).toThrow(message);
    try {
      resolveOptions(options);
    } catch (err) {
      expect((err as { code: string }).code).toBe("INVALID_ARGUMENT");
      expect((err as Error).message).toMatch(/^\[@adlkit\/arm-client\] /);
    }
  });
});
