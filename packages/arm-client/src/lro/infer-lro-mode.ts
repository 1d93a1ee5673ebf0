/**
 * How to follow a long-running operation, decided from its first response the way Azure's core-lro does:
 * an `Azure-AsyncOperation` (or `Operation-Location`) header wins, then `Location`, then, for PUT and PATCH,
 * the resource's own `provisioningState`; otherwise the first response is the result.
 */
export type LroMode = "OperationLocation" | "ResourceLocation" | "Body" | "None";

export interface LroPlan {
  mode: LroMode;
  /** URL to GET on each poll (absent in mode None). */
  pollUrl?: string | undefined;
  /** URL to GET once the operation has succeeded, for the final resource (OperationLocation mode only). */
  finalUrl?: string | undefined;
}

export interface InitialResponse {
  method: string;
  requestUrl: string;
  status: number;
  headers: Headers;
}

export function inferLroMode(initial: InitialResponse): LroPlan {
  const method = initial.method.toUpperCase();
  const asyncOperation =
    initial.headers.get("azure-asyncoperation") ?? initial.headers.get("operation-location") ?? undefined;
  const location = initial.headers.get("location") ?? undefined;
  if (asyncOperation) {
    return {
      mode: "OperationLocation",
      pollUrl: asyncOperation,
      finalUrl: finalUrlFor(method, initial.requestUrl, location),
    };
  }
  if (location) return { mode: "ResourceLocation", pollUrl: location };
  if ((method === "PUT" || method === "PATCH") && initial.status !== 204)
    return { mode: "Body", pollUrl: initial.requestUrl };
  return { mode: "None" };
}

/** Where the result lives after an OperationLocation operation succeeds (core-lro's findResourceLocation). */
function finalUrlFor(method: string, requestUrl: string, location: string | undefined): string | undefined {
  switch (method) {
    case "PUT":
      return requestUrl;
    case "PATCH":
      return location ?? requestUrl;
    case "DELETE":
      return undefined;
    default:
      return location;
  }
}
