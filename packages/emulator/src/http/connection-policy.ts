import { type IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";

/**
 * Unread request bytes the server is willing to read and discard after its answer so that the connection can
 * be reused (an early 401 or 403 to a small upload). A larger or unknown remainder is not worth reading.
 */
export const DRAIN_LIMIT = 1024 * 1024;

/**
 * Whether the answer to `req` must end its connection (`Connection: close`, then the socket is closed once the
 * answer is out) rather than keep it alive. The one rule, applied to every answer of every part:
 * - the request carried both `Transfer-Encoding` and `Content-Length` (RFC 9112 §6.3: the server framed it by
 *   Transfer-Encoding and must close after responding);
 * - its body was abandoned unread (a reader refused it as over its limit): the rest would otherwise sit in the
 *   socket, the next request on the connection would never be parsed, and the client would wait for nothing;
 * - its body is still arriving and more than `DRAIN_LIMIT` bytes of it (or an unknown amount, chunked) remain.
 * A smaller remainder is drained by Node after the answer, and the connection stays usable.
 */
export function mustCloseAfterAnswer(req: IncomingMessage): boolean {
  if (hasBothFramings(req)) return true;
  if (req.complete) return false;
  if (req.destroyed) return true;
  if (req.headers["transfer-encoding"] !== undefined) return true;
  const length = Number(req.headers["content-length"] ?? "0");
  return !(length <= DRAIN_LIMIT);
}

/**
 * The emulator's response class (the servers' `ServerResponse` option): decides, as the status line is written,
 * whether the connection survives the answer. Node then writes `Connection: close` and closes the socket after
 * the last byte of the answer.
 */
export class EmulatorResponse<
  Request extends IncomingMessage = IncomingMessage,
> extends ServerResponse<Request> {
  override writeHead(statusCode: number, ...rest: unknown[]): this {
    if (!this.headersSent && this.req && mustCloseAfterAnswer(this.req)) this.shouldKeepAlive = false;
    return (
      ServerResponse.prototype.writeHead as (this: this, code: number, ...args: unknown[]) => this
    ).call(this, statusCode, ...rest);
  }
}

function hasBothFramings(req: IncomingMessage): boolean {
  return req.headers["transfer-encoding"] !== undefined && req.headers["content-length"] !== undefined;
}

/** Connections that carried a request with both framings: nothing after it on them is served. */
const closingAfterConflict = new WeakSet<Socket>();

/**
 * Whether a parsed request may be served at all; false when it has been dealt with here:
 * - a request that follows, on the same connection, one framed despite a conflicting Content-Length is not run
 *   (RFC 9112 §6.3: the connection closes after that answer; a pipelined request behind it must not act);
 * - a Transfer-Encoding whose final coding is not `chunked` gets 400 and the connection closes (RFC 9112 §6.3).
 *   The strict parser refuses it itself; with `kLenientChunkedLength` on (http/chunked-with-length.ts) llhttp
 *   would instead read such a body until the connection closes, so the refusal is made here.
 */
export function admitRequest(req: IncomingMessage, res: ServerResponse): boolean {
  if (closingAfterConflict.has(req.socket)) return false;
  const te = req.headers["transfer-encoding"];
  if (te !== undefined) {
    const codings = te.split(",").map((coding) => coding.trim().toLowerCase());
    if (codings.at(-1) !== "chunked") {
      const body = JSON.stringify({
        error: {
          code: "InvalidTransferEncoding",
          message: `The Transfer-Encoding '${te.slice(0, 100)}' does not end with 'chunked'; the body cannot be framed.`,
        },
      });
      res.writeHead(400, {
        "Content-Type": "application/json; charset=utf-8",
        "Content-Length": Buffer.byteLength(body),
      });
      res.end(body);
      return false;
    }
  }
  if (hasBothFramings(req)) closingAfterConflict.add(req.socket);
  return true;
}
