import type { Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import type { Area, FaultDecision } from "../faults.js";
import type { RequestContext } from "./context.js";
import { sendJson } from "./respond.js";

/**
 * What an injected fault does to a request (the rules and their matching live in faults.ts): an error answer in
 * the error shape of the area it hits, a connection reset while the request or the response is under way, an
 * answer that is lost after the change was made, or a long-running operation that ends Failed.
 */

/** Renders an injected failure in the error shape of the area it hits. */
function sendFault(ctx: RequestContext, area: Area, status: number, retryAfter: number | undefined): void {
  const headers: Record<string, string> =
    retryAfter !== undefined ? { "Retry-After": String(retryAfter) } : {};
  const text = status === 429 ? "Too many requests (injected fault)." : `Injected fault: HTTP ${status}.`;
  if (area === "fs") {
    const exception = status === 429 ? "ThrottledException" : "RuntimeException";
    sendJson(
      ctx.res,
      status,
      {
        RemoteException: {
          exception,
          message: `${text} [${ctx.requestId}]`,
          javaClassName: `com.microsoft.azure.datalake.store.${exception}`,
        },
      },
      headers,
    );
  } else if (area === "storage") {
    const code = status === 429 || status === 503 ? "ServerBusy" : "InternalError";
    sendJson(
      ctx.res,
      status,
      { error: { code, message: `${text}\nRequestId:${ctx.requestId}` } },
      {
        ...headers,
        "x-ms-error-code": code,
      },
    );
  } else if (area === "arm") {
    sendJson(
      ctx.res,
      status,
      {
        error: {
          code: status === 429 ? "SubscriptionRequestsThrottled" : "InternalServerError",
          message: text,
        },
      },
      headers,
    );
  } else {
    sendJson(
      ctx.res,
      status,
      {
        error: status === 429 ? "temporarily_unavailable" : "server_error",
        error_description: `AADSTS90033: ${text}`,
        error_codes: [90033],
      },
      headers,
    );
  }
}

/** Applies a fault. Returns true when the request has been fully dealt with (failed), false to serve it. */
export async function applyFault(ctx: RequestContext, area: Area, decision: FaultDecision): Promise<boolean> {
  ctx.entry.fault = decision.description;
  const { rule } = decision;
  if (rule.latencyMs) await sleep(rule.latencyMs);
  switch (rule.action) {
    case "reset-request":
      await resetWhileReceiving(ctx, rule.afterBytes ?? 0);
      return true;
    case "reset-response":
      breakResponseAfter(ctx, rule.afterBytes ?? 0);
      return false;
    case "lose-response":
      breakResponseAfter(ctx, -1);
      return false;
    case "fail-operation":
      ctx.failOperation = {
        code: rule.errorCode ?? "InternalServerError",
        message:
          rule.errorMessage ??
          "The operation failed (a fail-operation fault of adl-emulator). Delete the resource and try again.",
      };
      return false;
  }
  if (rule.status === undefined) return false;
  // Drain what the client sends so the connection stays usable for its retry.
  ctx.req.resume();
  sendFault(ctx, area, rule.status, rule.retryAfterSeconds);
  return true;
}

/** Lets `afterBytes` of the request body in, then resets the connection: the handler never runs. */
async function resetWhileReceiving(ctx: RequestContext, afterBytes: number): Promise<void> {
  const socket = ctx.req.socket; // captured first: the request drops its socket reference once destroyed
  let received = 0;
  if (afterBytes > 0) {
    for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
      received += chunk.length;
      if (received >= afterBytes) break;
    }
  }
  dropConnection(socket);
}

/** Closes the connection abruptly (TLS sockets cannot send a TCP RST, so the client sees the stream cut). */
function dropConnection(socket: Socket): void {
  if (!socket.destroyed) socket.destroy();
}

/**
 * Serves the request but breaks the response: after `afterBytes` bytes of body the connection is reset; with -1
 * nothing at all is sent and the connection is closed once the handler has finished (the change is applied, the
 * answer is lost).
 */
function breakResponseAfter(ctx: RequestContext, afterBytes: number): void {
  const res = ctx.res;
  const socket = ctx.req.socket;
  let sent = 0;
  const cut = () => dropConnection(socket);
  if (afterBytes < 0) {
    res.writeHead = (() => res) as typeof res.writeHead;
    res.write = (() => true) as typeof res.write;
    res.end = ((...args: unknown[]) => {
      const callback = args.find((a) => typeof a === "function") as (() => void) | undefined;
      // Give the handler's own bookkeeping a turn, then drop the connection without a byte of response.
      setImmediate(cut);
      callback?.();
      return res;
    }) as typeof res.end;
    return;
  }
  const write = res.write.bind(res);
  const end = res.end.bind(res);
  const take = (chunk: unknown, encoding?: unknown): boolean => {
    const buffer =
      typeof chunk === "string"
        ? Buffer.from(chunk, (encoding as BufferEncoding) ?? "utf8")
        : Buffer.from(chunk as Uint8Array);
    const room = afterBytes - sent;
    if (room > 0) write(buffer.subarray(0, room));
    sent += buffer.length;
    if (sent >= afterBytes) {
      // Flush the headers and the allowed bytes, then reset.
      setImmediate(cut);
      return false;
    }
    return true;
  };
  res.write = ((chunk: unknown, encoding?: unknown, cb?: unknown) => {
    const ok = take(chunk, typeof encoding === "string" ? encoding : undefined);
    if (typeof encoding === "function") (encoding as () => void)();
    else if (typeof cb === "function") (cb as () => void)();
    return ok;
  }) as typeof res.write;
  res.end = ((chunk?: unknown, encoding?: unknown, cb?: unknown) => {
    if (chunk !== undefined && typeof chunk !== "function")
      take(chunk, typeof encoding === "string" ? encoding : undefined);
    if (sent < afterBytes)
      return end(typeof chunk === "function" ? chunk : typeof encoding === "function" ? encoding : cb);
    setImmediate(cut);
    return res;
  }) as typeof res.end;
}
