import { describe, expect, it } from "vitest";
import { inferLroMode } from "./infer-lro-mode.js";

const URL_ =
  "https://arm.example/subscriptions/s/resourceGroups/rg/providers/Microsoft.DataLakeStore/accounts/a?api-version=2016-11-01";
const ASYNC =
  "https://arm.example/subscriptions/s/providers/Microsoft.DataLakeStore/locations/eastus2/operationResults/x_0?api-version=2016-11-01";
const LOC =
  "https://arm.example/subscriptions/s/resourcegroups/rg/providers/Microsoft.DataLakeStore/accounts/a/operationresults/0?api-version=2016-11-01";

const plan = (method: string, status: number, headers: Record<string, string>) =>
  inferLroMode({ method, requestUrl: URL_, status, headers: new Headers(headers) });

describe("inferLroMode", () => {
  it("prefers Azure-AsyncOperation over Location, and a PUT's result is the resource URL", () => {
    expect(plan("PUT", 201, { "azure-asyncoperation": ASYNC, location: LOC })).toEqual({
      mode: "OperationLocation",
      pollUrl: ASYNC,
      finalUrl: URL_,
    });
  });

  it("treats Operation-Location like Azure-AsyncOperation", () => {
    expect(plan("PUT", 201, { "operation-location": ASYNC }).mode).toBe("OperationLocation");
  });

  it("takes a PATCH's result from Location when there is one, else from the request URL", () => {
    expect(plan("PATCH", 202, { "azure-asyncoperation": ASYNC, location: LOC }).finalUrl).toBe(LOC);
    expect(plan("PATCH", 202, { "azure-asyncoperation": ASYNC }).finalUrl).toBe(URL_);
  });

  it("has no final GET for a DELETE, and takes a POST's result from Location", () => {
    expect(plan("DELETE", 202, { "azure-asyncoperation": ASYNC, location: LOC }).finalUrl).toBeUndefined();
    expect(plan("POST", 202, { "azure-asyncoperation": ASYNC, location: LOC }).finalUrl).toBe(LOC);
    expect(plan("POST", 202, { "azure-asyncoperation": ASYNC }).finalUrl).toBeUndefined();
  });

  it("polls Location when it is the only header (a resource group delete)", () => {
    expect(plan("DELETE", 202, { location: LOC })).toEqual({ mode: "ResourceLocation", pollUrl: LOC });
  });

  it("follows provisioningState for a PUT or PATCH without headers", () => {
    expect(plan("PUT", 201, {})).toEqual({ mode: "Body", pollUrl: URL_ });
    expect(plan("PATCH", 200, {})).toEqual({ mode: "Body", pollUrl: URL_ });
  });

  it("is done at once for a DELETE or POST without headers, and for a 204", () => {
    expect(plan("DELETE", 200, {}).mode).toBe("None");
    expect(plan("DELETE", 204, {}).mode).toBe("None");
    expect(plan("POST", 200, {}).mode).toBe("None");
    expect(plan("PUT", 204, {}).mode).toBe("None");
  });

  it("reads header names case-insensitively", () => {
    expect(plan("PUT", 201, { "Azure-AsyncOperation": ASYNC }).mode).toBe("OperationLocation");
  });
});
