import type { Readable } from "node:stream";
import type { BodyController } from "@adlkit/core";
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
  const response = await fs.stream("OPEN", path, {
    method: "GET",
    params: { read: true, offset: range.offset, length: range.length },
    abortSignal: options.abortSignal,
  });
  return response.body as unknown as Readable;
}

/**
 * OPEN of `[offset, offset + length)` with its body handed to `sink` chunk by chunk, as the socket delivers it (the
 * sink may pause and resume the transfer, or abort it, through the controller). A body that breaks is continued
 * from the last byte delivered (core's retry loop asks again for the rest), so the sink sees every byte once, in
 * order. Resolves to the bytes delivered: fewer than `length` when the file ends sooner (`Infinity`: to its end).
 */
export async function readInto(
  fs: WebHdfs,
  path: string,
  offset: number,
  length: number,
  sink: (piece: Buffer, controller: BodyController) => void,
  options: OperationOptions = {},
): Promise<number> {
  const receiver = new RangeReceiver(length, fs.noteStreamed, sink);
  await fs.into(
    "OPEN",
    path,
    {
      method: "GET",
      // `length` Infinity: no length asked, the rest of the file.
      params: () => ({
        read: true,
        offset: offset + receiver.received,
        length: Number.isFinite(length) ? length - receiver.received : undefined,
      }),
      abortSignal: options.abortSignal,
    },
    receiver.take,
  );
  return receiver.received;
}

/** OPEN into memory: for small ranges (head, tail, cat of small files). */
export async function readRange(
  fs: WebHdfs,
  path: string,
  offset: number,
  length: number,
  options: OperationOptions = {},
): Promise<Buffer> {
  const parts: Buffer[] = [];
  await readInto(fs, path, offset, length, (piece) => parts.push(piece), options);
  return Buffer.concat(parts);
}

/**
 * Hands at most `length` bytes of a response body to `sink` (a service may send more than was asked) and counts
 * them, so that a retried attempt asks only for the rest. Each chunk is a fresh Buffer from Node's TLS layer:
 * `noteStreamed` tells the GC pacer (see the gcPacing option).
 */
export class RangeReceiver {
  received = 0;

  constructor(
    private readonly length: number,
    private readonly noteStreamed: (bytes: number) => void,
    private readonly sink: (piece: Buffer, controller: BodyController) => void,
  ) {}

  readonly take = (chunk: Buffer, controller: BodyController): void => {
    this.noteStreamed(chunk.byteLength);
    const rest = this.length - this.received;
    const piece = chunk.byteLength > rest ? chunk.subarray(0, rest) : chunk;
    this.received += piece.byteLength;
    if (piece.byteLength > 0) this.sink(piece, controller);
  };
}
