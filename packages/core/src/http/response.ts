import type { IncomingHttpHeaders } from "node:http";
import { setImmediate as yieldToCheckPhase } from "node:timers/promises";
import { type Dispatcher, Headers as UndiciHeaders } from "undici";

/** Status and headers of a response; `headers` is built on first use (most callers never read it). */
export class ResponseHead {
  readonly status: number;
  readonly rawHeaders: IncomingHttpHeaders;
  /** The `x-ms-client-request-id` sent (the same on every attempt of one call). */
  readonly clientRequestId: string;
  #headers: Headers | undefined;

  constructor(status: number, rawHeaders: IncomingHttpHeaders, clientRequestId: string) {
    this.status = status;
    this.rawHeaders = rawHeaders;
    this.clientRequestId = clientRequestId;
  }

  /** undici's Headers class: the global one would load Node's bundled undici (~17 MiB) just for this. */
  get headers(): Headers {
    if (!this.#headers) {
      const headers = new UndiciHeaders() as unknown as Headers;
      for (const [key, value] of Object.entries(this.rawHeaders)) {
        if (value === undefined) continue;
        for (const v of Array.isArray(value) ? value : [value]) headers.append(key, v);
      }
      this.#headers = headers;
    }
    return this.#headers;
  }

  /** The service's `x-ms-request-id`. */
  get requestId(): string | undefined {
    const value = this.rawHeaders["x-ms-request-id"];
    return Array.isArray(value) ? value[0] : value;
  }
}

/** A response whose body the caller reads (a stream of Buffers). */
export class StreamResponse extends ResponseHead {
  readonly body: Dispatcher.ResponseData["body"];

  constructor(head: ResponseHead, body: Dispatcher.ResponseData["body"]) {
    super(head.status, head.rawHeaders, head.clientRequestId);
    this.body = body;
  }
}

/** A response read whole inside the attempt (a JSON document, or an error body). */
export class TextResponse extends ResponseHead {
  readonly text: string;

  constructor(head: ResponseHead, text: string) {
    super(head.status, head.rawHeaders, head.clientRequestId);
    this.text = text;
  }

  json<T>(): T {
    return JSON.parse(this.text) as T;
  }
}

/**
 * A response body as text, decoded chunk by chunk. Not `body.text()`: Node decodes a buffer of more than ~1 MB
 * (a LISTSTATUS page of 4,000 entries is ~1.2 MB) into an *external* string, which V8 frees only in a full
 * mark-compact, so a long listing kept every page's text resident. Pieces of one socket chunk become ordinary
 * heap strings that the usual collections reclaim.
 */
export async function textOf(
  body: AsyncIterable<Buffer>,
  peek: ((head: string) => boolean) | undefined,
): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  let peeking = peek !== undefined;
  for await (const chunk of body) {
    text += decoder.decode(chunk, { stream: true });
    if (peeking && peek?.(text)) {
      peeking = false;
      // Whatever `peek` started from the head (the next LISTSTATUS) goes out now, not after the rest of this body
      // (which usually arrives within the current turn) has been received and parsed: the server prepares the
      // next page meanwhile.
      await letRequestsOut();
    }
  }
  return text + decoder.decode();
}

/**
 * Lets a request made just before reach the wire. undici 8 writes to a reused keep-alive socket only after a
 * check-phase turn (its idle-socket validation), so until the event loop gets there the request waits; a caller
 * that keeps the loop busy (receiving and parsing a page, or consuming one without awaiting I/O) holds it back.
 * Two turns, because undici queues its own only after the request's microtasks ran, possibly behind a first one.
 */
export async function letRequestsOut(): Promise<void> {
  await yieldToCheckPhase();
  await yieldToCheckPhase();
}
