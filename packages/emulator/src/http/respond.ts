import type { IncomingMessage, ServerResponse } from "node:http";

/** Sends a JSON body with an exact Content-Length. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Sends an already serialised JSON body (UTF-8 bytes), with the headers `sendJson` sets. */
export function sendJsonBytes(res: ServerResponse, status: number, body: Uint8Array): void {
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": body.byteLength,
  });
  res.end(body);
}

/** Sends a status with no body (204, 202, HEAD answers). */
export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "Content-Length": 0, ...headers });
  res.end();
}

/** A small body (form, JSON document) over its limit; each part answers it in its own error shape. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body exceeds ${limit} bytes`);
    this.name = "BodyTooLargeError";
  }
}

/** `limit` in words for error messages ("64 KiB", "4 MiB"). */
export function describeLimit(limit: number): string {
  if (limit % (1024 * 1024) === 0) return `${limit / (1024 * 1024)} MiB`;
  if (limit % 1024 === 0) return `${limit / 1024} KiB`;
  return `${limit} bytes`;
}

/**
 * Reads a small request body (forms, JSON documents) into a string, refusing more than `limit` bytes. A refused
 * body is left unread: the answer to it closes the connection (see http/connection-policy.ts).
 */
export async function readSmallBody(req: IncomingMessage, limit = 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLargeError(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}
