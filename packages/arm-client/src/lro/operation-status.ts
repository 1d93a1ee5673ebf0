import type { ArmErrorDetail } from "../errors/arm-error.js";

export type OperationStatus = "notStarted" | "running" | "succeeded" | "failed" | "canceled";

/** A status string from ARM (`Succeeded`, `InProgress`, `Failed`, `Canceled`, `Creating`, …), normalised as core-lro does. */
export function normalizeStatus(raw: string): Exclude<OperationStatus, "notStarted"> {
  const status = raw.toLowerCase();
  if (status === "succeeded") return "succeeded";
  if (status.includes("fail")) return "failed";
  if (status === "canceled" || status === "cancelled") return "canceled";
  return "running";
}

/** The status in an Azure-AsyncOperation status resource; undefined when the body has none (an error). */
export function statusFromOperationBody(body: unknown): Exclude<OperationStatus, "notStarted"> | undefined {
  const status = (body as { status?: unknown } | undefined)?.status;
  return typeof status === "string" && status ? normalizeStatus(status) : undefined;
}

/** A resource's `properties.provisioningState`; a resource without one has succeeded (ARM RPC). */
export function statusFromResourceBody(body: unknown): Exclude<OperationStatus, "notStarted"> {
  const state = (body as { properties?: { provisioningState?: unknown } } | undefined)?.properties
    ?.provisioningState;
  return typeof state === "string" && state ? normalizeStatus(state) : "succeeded";
}

/** In Location mode the status code is the status: 202 is running, any other 2xx is done. */
export function statusFromLocationResponse(statusCode: number): Exclude<OperationStatus, "notStarted"> {
  if (statusCode === 202) return "running";
  return statusCode >= 200 && statusCode < 300 ? "succeeded" : "failed";
}

/** The `error` of a failed status resource or resource body. */
export function errorFromBody(body: unknown): ArmErrorDetail | undefined {
  const error =
    (body as { error?: unknown; properties?: { error?: unknown } } | undefined)?.error ??
    (body as { properties?: { error?: unknown } } | undefined)?.properties?.error;
  if (typeof error !== "object" || error === null) return undefined;
  const e = error as Record<string, unknown>;
  if (typeof e.code !== "string" && typeof e.message !== "string") return undefined;
  return {
    code: typeof e.code === "string" ? e.code : "OperationFailed",
    message: typeof e.message === "string" ? e.message : "",
    target: typeof e.target === "string" ? e.target : undefined,
    details: Array.isArray(e.details) ? (e.details as ArmErrorDetail[]) : undefined,
  };
}
