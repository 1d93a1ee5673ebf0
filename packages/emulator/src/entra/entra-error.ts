import { randomUUID } from "node:crypto";
import type { RequestContext } from "../http/context.js";
import { sendJson } from "../http/respond.js";

/** An Entra ID error, answered with the token service's JSON shape. */
export class EntraError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly aadsts: number,
    readonly description: string,
  ) {
    super(`AADSTS${aadsts}: ${description}`);
  }
}

function entraTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace("T", " ")}Z`;
}

/** Writes `{error, error_description, error_codes, timestamp, trace_id, correlation_id, error_uri}`. */
export function sendEntraError(ctx: RequestContext, err: EntraError): void {
  const now = new Date();
  const traceId = ctx.requestId;
  const correlationId = ctx.entry.clientRequestId ?? randomUUID();
  const timestamp = entraTimestamp(now);
  sendJson(
    ctx.res,
    err.status,
    {
      error: err.error,
      error_description: `AADSTS${err.aadsts}: ${err.description}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
      error_codes: [err.aadsts],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `${ctx.baseUrl}/error?code=${err.aadsts}`,
    },
    { "Cache-Control": "no-store, no-cache", Pragma: "no-cache" },
  );
}
