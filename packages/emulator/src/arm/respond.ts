import { randomUUID } from "node:crypto";
import type { RequestContext } from "../http/context.js";
import type { ArmError } from "./arm-error.js";

/** A correlation id we are willing to echo back: what clients send (GUIDs), nothing that could split headers. */
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function header(ctx: RequestContext, name: string): string | undefined {
  const value = ctx.req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Headers ARM puts on every response, set before any handler runs so that errors carry them too:
 * correlation id (echoed or new), routing id, the no-cache trio, HSTS/nosniff, and the client request id
 * when the client asked for it with `x-ms-return-client-request-id: true`.
 */
export function setArmResponseHeaders(ctx: RequestContext): void {
  const { res } = ctx;
  const correlation = header(ctx, "x-ms-correlation-request-id");
  res.setHeader(
    "x-ms-correlation-request-id",
    correlation && SAFE_ID.test(correlation) ? correlation : randomUUID(),
  );
  const stamp = new Date().toISOString().replace(/[-:]|\.\d+/g, "");
  res.setHeader("x-ms-routing-request-id", `LOCAL:${stamp}:${ctx.requestId}`);
  res.setHeader("Cache-Control", "no-cache");
  res.setHeader("Pragma", "no-cache");
  res.setHeader("Expires", "-1");
  res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  res.setHeader("X-Content-Type-Options", "nosniff");
  const clientRequestId = header(ctx, "x-ms-client-request-id");
  if (
    clientRequestId &&
    SAFE_ID.test(clientRequestId) &&
    header(ctx, "x-ms-return-client-request-id")?.toLowerCase() === "true"
  ) {
    res.setHeader("x-ms-client-request-id", clientRequestId);
  }
}

/** JSON answer; DataLakeStore sends plain `application/json` (no charset). HEAD gets the headers only. */
export function sendArmJson(
  ctx: RequestContext,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  ctx.res.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(text),
    ...headers,
  });
  ctx.res.end(ctx.method === "HEAD" ? undefined : text);
}

/** An answer without a body (202, 204, 200 on DELETE). */
export function sendArmEmpty(
  ctx: RequestContext,
  status: number,
  headers: Record<string, string> = {},
): void {
  ctx.res.writeHead(status, { "Content-Length": 0, ...headers });
  ctx.res.end();
}

export function sendArmError(ctx: RequestContext, err: ArmError): void {
  ctx.entry.op ??= "arm";
  sendArmJson(ctx, err.status, err.toBody(), err.options.headers);
}
