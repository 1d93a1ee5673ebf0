/**
 * A request body produced afresh for each attempt, piece by piece, instead of held in memory: the per-attempt body
 * factory of `send`. An error thrown while producing it is the caller's, not the network's: it ends the call as
 * it is, without retries.
 */
export interface BodySource {
  readonly byteLength: number;
  pieces(): AsyncIterable<Uint8Array>;
}

/** What a request may carry: bytes, text, or a source read anew for each attempt. */
export type RequestBody = Uint8Array | string | BodySource;

/** What undici is handed for one attempt (it takes iterables of Buffers too, though its types do not say so). */
export type AttemptBody = Buffer | string | null | Buffer[] | AsyncIterable<Buffer>;

/** Receives the failure of a body source, so the loop can tell it from a network failure. */
export interface LocalFailure {
  error: unknown;
}

const BODY_PIECE = 1024 * 1024;

export function isBodySource(body: unknown): body is BodySource {
  return typeof (body as BodySource | null)?.pieces === "function";
}

export function byteLengthOf(body: Buffer | string | BodySource): number {
  return typeof body === "string" ? Buffer.byteLength(body) : body.byteLength;
}

/**
 * The body of one attempt. undici writes a Buffer body corked together with the request head, and Node's TLS
 * socket then copies head and body into one new allocation before encrypting (a 4 MiB memcpy and fresh pages
 * per APPEND), and buffers all of its ciphertext at once. As pieces (the head plus one byte, then 1 MiB at a
 * time), each piece is encrypted straight from the caller's buffer and the TLS layer holds at most 1 MiB of
 * ciphertext per socket. A source gets the same split after its first byte.
 */
export function bodyForAttempt(body: Buffer | string | BodySource | null, local: LocalFailure): AttemptBody {
  if (isBodySource(body)) return sourceForAttempt(body, local);
  if (!Buffer.isBuffer(body) || body.byteLength < 64 * 1024) return body;
  const pieces = [body.subarray(0, 1)];
  for (let at = 1; at < body.byteLength; at += BODY_PIECE)
    pieces.push(body.subarray(at, Math.min(body.byteLength, at + BODY_PIECE)));
  return pieces;
}

async function* sourceForAttempt(source: BodySource, local: LocalFailure): AsyncGenerator<Buffer> {
  const pieces = source.pieces()[Symbol.asyncIterator]();
  let first = true;
  try {
    for (;;) {
      let next: IteratorResult<Uint8Array>;
      try {
        next = await pieces.next();
      } catch (err) {
        local.error = err;
        throw err;
      }
      if (next.done) return;
      const piece = Buffer.isBuffer(next.value)
        ? next.value
        : Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
      const split = first && piece.byteLength > 1;
      first = false;
      if (split) {
        yield piece.subarray(0, 1);
        yield piece.subarray(1);
      } else yield piece;
    }
  } finally {
    await pieces.return?.(); // undici stopped early (the attempt failed): the source learns it now
  }
}
