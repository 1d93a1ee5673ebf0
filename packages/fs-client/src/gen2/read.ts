import type { Readable } from "node:stream";
import type { BodyController } from "@adlkit/core";
import type { OperationOptions } from "../types.js";
import { RangeReceiver } from "../operations/read.js";
import type { Dfs } from "./dfs.js";

/**
 * Read (`GET` with `Range`): `[offset, offset + length)` handed to `sink` chunk by chunk as the socket delivers
 * it. A body that breaks is continued from the last byte delivered (the Range is made per attempt), so the sink
 * sees every byte once, in order. With `ifMatch`, a file replaced meanwhile fails (412) instead of mixing
 * versions. Resolves to the bytes delivered: fewer than `length` when the file ends sooner.
 */
export async function readInto(
  dfs: Dfs,
  path: string,
  offset: number,
  length: number,
  sink: (piece: Buffer, controller: BodyController) => void,
  options: OperationOptions & { ifMatch?: string | undefined } = {},
): Promise<number> {
  if (length <= 0) return 0;
  const receiver = new RangeReceiver(length, dfs.noteStreamed, sink);
  await dfs.into(
    path,
    {
      method: "GET",
      operation: "read",
      headers: options.ifMatch ? { "if-match": `"${options.ifMatch}"` } : {},
      attemptHeaders: () => ({ range: `bytes=${offset + receiver.received}-${offset + length - 1}` }),
      abortSignal: options.abortSignal,
    },
    receiver.take,
  );
  return receiver.received;
}

/** A range as a stream (undici's body): retried until the headers arrive; a later break is the caller's. */
export async function openRange(
  dfs: Dfs,
  path: string,
  range: { offset?: number | undefined; length?: number | undefined } = {},
  options: OperationOptions = {},
): Promise<Readable> {
  const start = range.offset ?? 0;
  const end = range.length === undefined ? "" : String(start + range.length - 1);
  const response = await dfs.stream(path, {
    method: "GET",
    operation: "read",
    headers: start > 0 || end ? { range: `bytes=${start}-${end}` } : {},
    abortSignal: options.abortSignal,
  });
  return response.body as unknown as Readable;
}
