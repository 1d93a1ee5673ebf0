import type { Readable } from "node:stream";
import type { OperationOptions } from "../types.js";
import type { WebHdfs } from "../webhdfs.js";

/**
 * OPEN (`read=true`): a byte range as a stream (undici's body, read as it arrives). The request is retried
 * until headers arrive; a body that breaks later is the caller's to resume from its position.
 */
export async function openRange(
  fs: WebHdfs,
  path: string,
  range: { offset?: number | undefined; length?: number | undefined } = {},
  options: OperationOptions = {},
): Promise<Readable> {
  const response = await fs.raw("OPEN", path, {
    method: "GET",
    params: { read: true, offset: range.offset, length: range.length },
    abortSignal: options.abortSignal,
  });
  return response.body as unknown as Readable;
}

/** OPEN into memory: for small ranges (head, tail, cat of small files). Resumes a broken body. */
export async function readRange(
  fs: WebHdfs,
  path: string,
  offset: number,
  length: number,
  options: OperationOptions = {},
): Promise<Buffer> {
  const parts: Buffer[] = [];
  let received = 0;
  let failures = 0;
  while (received < length) {
    const before = received;
    try {
      const body = await openRange(
        fs,
        path,
        { offset: offset + received, length: length - received },
        options,
      );
      for await (const piece of body) {
        parts.push(piece as Buffer);
        received += (piece as Buffer).byteLength;
      }
    } catch (err) {
      if (options.abortSignal?.aborted || received === before || ++failures > fs.http.retry.limit) throw err;
      continue;
    }
    if (received === before) break; // end of file: fewer bytes than asked for
  }
  return Buffer.concat(parts);
}
