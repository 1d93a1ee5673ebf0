import type { Server } from "node:https";
import { createRequire } from "node:module";
import type { Socket } from "node:net";

/**
 * Requests that carry both `Transfer-Encoding: chunked` and `Content-Length` (an older Microsoft HTTP stack sends
 * CREATE and APPEND that way). Node's parser (llhttp) refuses them with a bare 400 before any handler runs.
 * RFC 9112 §6.3 lets a server frame such a message by Transfer-Encoding alone, ignoring Content-Length, and then
 * close the connection after responding; the service did. That is what the emulator does (the close is
 * http/connection-policy.ts's), and it must not open any other leniency.
 *
 * Node has no switch for just this. The options, and why this one:
 * - `insecureHTTPParser` / `httpValidation: "insecure"`: every llhttp leniency at once (bare LF, obs-fold,
 *   spaces in chunk sizes, data after close, ...). Refused: far more than needed.
 * - a JS filter in front of the parser that rewrites header blocks: a second HTTP framer whose disagreements with
 *   llhttp would be request smuggling by construction, and a copy of every upload byte. Refused.
 * - taking the socket over on the parser's error (`clientError`): the failing request's earlier bytes are gone
 *   by then, so it cannot be re-parsed reliably. Refused.
 * - llhttp's own flag for exactly this, `kLenientChunkedLength` (Transfer-Encoding wins over Content-Length), set
 *   on each connection's parser right after Node created it, before a byte is parsed. Chosen: llhttp does the
 *   framing as for any chunked message, and it costs nothing per request. The flag does one more thing: a request
 *   whose Transfer-Encoding does not end in `chunked` is read until the connection closes instead of refused;
 *   `admitRequest` (http/connection-policy.ts) refuses those with 400 before any handler runs, as strict parsing
 *   did, and runs nothing that follows a both-framings request on its connection. It reaches into Node
 *   internals (the parser binding's `initialize`, the server's connection list); when those are not as expected
 *   the switch stays off and parsing stays strict (the test of this behaviour then fails, saying so).
 */

interface ParserBinding {
  REQUEST: number;
  kLenientChunkedLength?: number;
}

interface ConnectionParser {
  initialize(
    type: number,
    resource: object,
    maxHeaderSize: number,
    lenient: number,
    connections: unknown,
  ): void;
}

function parserBinding(): ParserBinding | undefined {
  try {
    const common = createRequire(import.meta.url)("node:_http_common") as { HTTPParser?: ParserBinding };
    const binding = common.HTTPParser;
    return typeof binding?.REQUEST === "number" && typeof binding.kLenientChunkedLength === "number"
      ? binding
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Makes `server` (listening) frame requests with both headers by Transfer-Encoding. Returns false, changing
 * nothing, when this Node does not offer what it needs.
 */
export function acceptChunkedWithLength(server: Server): boolean {
  const binding = parserBinding();
  const connectionsKey = Object.getOwnPropertySymbols(server).find(
    (symbol) => symbol.description === "http.server.connections",
  );
  const connections = connectionsKey
    ? (server as unknown as Record<symbol, unknown>)[connectionsKey]
    : undefined;
  if (!binding || !connections) return false;
  const lenient = binding.kLenientChunkedLength!;
  // Runs after Node's own listener for the same event has given the socket its (strict) parser.
  server.on("secureConnection", (socket: Socket & { parser?: ConnectionParser }) => {
    const parser = socket.parser;
    if (typeof parser?.initialize !== "function") return;
    // The same arguments Node passed, but for the one lenient flag; the connection list is the server's own (a
    // parser must stay in it: idle and request timeouts walk it).
    parser.initialize(
      binding.REQUEST,
      { type: "HTTPINCOMINGMESSAGE", socket },
      (server as { maxHeaderSize?: number }).maxHeaderSize ?? 0,
      lenient,
      connections,
    );
  });
  return true;
}
