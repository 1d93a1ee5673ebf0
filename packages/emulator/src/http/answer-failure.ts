import type { RequestContext } from "./context.js";

/**
 * How a data plane answers a request that failed, whatever its error shape: `send` the error when an answer
 * can still be given; cut the connection when the answer had already started, or when the failure is only that
 * the client went away (nobody is left to answer, and it is not a server failure; whatever was committed stays,
 * and the journal records the closed connection). Returns false for a failure that is neither: the caller
 * rethrows it (server.ts: a 500 and a log line).
 */
export function answerFailure(ctx: RequestContext, err: unknown, send: (() => void) | undefined): boolean {
  if (!send) {
    if (!clientWentAway(ctx, err)) return false;
    ctx.res.destroy();
    return true;
  }
  if (ctx.res.headersSent) {
    ctx.res.destroy();
    return true;
  }
  // Drain what the client still sends, so the connection stays usable (Python retries on the same session).
  ctx.req.resume();
  send();
  return true;
}

const DISCONNECT_CODES = new Set([
  "ECONNRESET",
  "EPIPE",
  "ERR_STREAM_PREMATURE_CLOSE",
  "ERR_STREAM_DESTROYED",
]);

/** The request failed only because its connection is gone (body aborted, response closed). */
function clientWentAway(ctx: RequestContext, err: unknown): boolean {
  if (!(ctx.req.destroyed || ctx.res.destroyed || ctx.req.socket?.destroyed)) return false;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const message = (err as Error | undefined)?.message;
  return (
    (code !== undefined && DISCONNECT_CODES.has(code)) ||
    message === "aborted" ||
    message === "the response was closed"
  );
}
