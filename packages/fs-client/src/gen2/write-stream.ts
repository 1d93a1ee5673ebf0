import { createHash } from "node:crypto";
import type { Writable } from "node:stream";
import { blockWritable } from "../operations/block-writable.js";
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
  let position = 0;
  let whole: ReturnType<typeof createHash> | undefined = createHash("md5");
  const signal = options.abortSignal;
  return blockWritable(options.blockSize ?? blockSize, {
    async open() {
      if (options.append) {
        position = (await getStatus(dfs, path, { abortSignal: signal })).length;
        if (position > 0) whole = undefined;
      } else {
        await createFile(dfs, path, { overwrite: options.overwrite ?? false, abortSignal: signal });
      }
    },
    async send(block, last) {
      if (block.byteLength > 0) {
        whole?.update(block);
        await append(dfs, path, position, block, { abortSignal: signal });
        position += block.byteLength;
      }
      if (last) {
        await flush(dfs, path, position, {
          ...(whole ? { contentMd5: whole.digest("base64") } : {}),
          close: true,
          abortSignal: signal,
        });
      }
    },
  });
}
