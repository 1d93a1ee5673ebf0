import { createHash } from "node:crypto";
import { Writable } from "node:stream";
import type { WriteStreamOptions } from "../operations/streams.js";
import type { Dfs } from "./dfs.js";
import { getStatus } from "./status.js";
import { append, createFile, flush } from "./write.js";

/**
 * A Node Writable that writes a Gen2 file: create, appends of `blockSize` at their positions (each with its MD5),
 * and at the end one flush with the MD5 of everything written (the bytes arrive in order, so it is computed on the
 * way). Unlike Gen1, readers see nothing of the new bytes until that flush. Memory: one block.
 * `append: true` continues an existing file; its stored MD5 is then cleared (it would not cover the old bytes).
 */
export function createWriteStream(
  dfs: Dfs,
  path: string,
  blockSize: number,
  options: WriteStreamOptions = {},
): Writable {
  const size = options.blockSize ?? blockSize;
  let buffer = Buffer.allocUnsafe(size);
  let filled = 0;
  let position = 0;
  let whole: ReturnType<typeof createHash> | undefined = createHash("md5");
  const signal = options.abortSignal;
  const send = async () => {
    if (filled === 0) return;
    const data = buffer.subarray(0, filled);
    whole?.update(data);
    await append(dfs, path, position, data, { abortSignal: signal });
    position += filled;
    filled = 0;
  };
  return new Writable({
    highWaterMark: size,
    construct(callback) {
      (async () => {
        if (options.append) {
          position = (await getStatus(dfs, path, { abortSignal: signal })).length;
          if (position > 0) whole = undefined;
        } else {
          await createFile(dfs, path, { overwrite: options.overwrite ?? false, abortSignal: signal });
        }
      })().then(() => callback(), callback);
    },
    write(chunk: Buffer, _encoding, callback) {
      (async () => {
        let consumed = 0;
        while (consumed < chunk.byteLength) {
          const take = Math.min(size - filled, chunk.byteLength - consumed);
          chunk.copy(buffer, filled, consumed, consumed + take);
          filled += take;
          consumed += take;
          if (filled === size) await send();
        }
      })().then(() => callback(), callback);
    },
    final(callback) {
      (async () => {
        await send();
        await flush(dfs, path, position, {
          ...(whole ? { contentMd5: whole.digest("base64") } : {}),
          close: true,
          abortSignal: signal,
        });
        buffer = Buffer.alloc(0);
      })().then(() => callback(), callback);
    },
  });
}
