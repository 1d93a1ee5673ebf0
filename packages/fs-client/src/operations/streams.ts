import { Readable, type Writable } from "node:stream";
import type { BodyController } from "@adlkit/core";
import type { FsBackend } from "../backend.js";
import type { OperationOptions } from "../types.js";
import type { WebHdfs } from "../webhdfs.js";
import { blockWritable } from "./block-writable.js";
import { getFileStatus } from "./status.js";
import { append, create } from "./write.js";

export interface ReadStreamOptions extends OperationOptions {
  /** First byte. @default 0 */
  start?: number | undefined;
  /** Last byte, inclusive (as in `fs.createReadStream`). @default end of file */
  end?: number | undefined;
}

/**
 * A Node Readable over a remote file: one streamed OPEN whose chunks are pushed as the socket delivers them,
 * paused while the consumer is behind; if the body breaks, it continues from the last byte delivered (so nothing
 * is repeated or lost).
 */
export function createReadStream(fs: FsBackend, path: string, options: ReadStreamOptions = {}): Readable {
  let controller: BodyController | undefined;
  let started = false;
  let paused = false;
  const stream = new Readable({
    read() {
      if (!started) {
        started = true;
        transfer().catch((err: unknown) => {
          if (!stream.destroyed) stream.destroy(err as Error);
        });
      } else if (paused) {
        paused = false;
        controller?.resume();
      }
    },
    destroy(err, callback) {
      controller?.abort(err ?? new Error("the stream was destroyed"));
      callback(err);
    },
  });
  const sink = (piece: Buffer, c: BodyController) => {
    controller = c;
    if (stream.destroyed) return c.abort(new Error("the stream was destroyed"));
    if (!stream.push(piece) && !paused) {
      paused = true;
      c.pause();
    }
  };
  const transfer = async () => {
    const start = options.start ?? 0;
    if (fs.readsToEnd && start === 0 && options.end === undefined) {
      // The whole file, where a read needs no status first: one request (a directory fails the read).
      await fs.readInto(path, 0, Number.POSITIVE_INFINITY, sink, options);
    } else {
      const status = await fs.getStatus(path, options);
      const end = Math.min(status.length, options.end === undefined ? status.length : options.end + 1);
      if (start < end) await fs.readInto(path, start, end - start, sink, { ...options, version: status });
    }
    stream.push(null);
  };
  return stream;
}

export interface WriteStreamOptions extends OperationOptions {
  /** Replace an existing file. @default false */
  overwrite?: boolean | undefined;
  /** Bytes per APPEND (at most 4 MiB). */
  blockSize?: number | undefined;
  /** Start at the end of an existing file instead of creating one (`ab` mode). @default false */
  append?: boolean | undefined;
}

/**
 * A Node Writable that writes a remote file as Python's `open('wb')` does: CREATE, then APPENDs of
 * `blockSize` with offsets (safe to retry), the last one closing the file. Memory: one block.
 * Unlike `put()`, readers can see the file grow while it is written.
 */
export function createWriteStream(
  fs: WebHdfs,
  path: string,
  blockSize: number,
  options: WriteStreamOptions = {},
): Writable {
  let offset = 0;
  let leaseId: string | undefined;
  const signal = options.abortSignal;
  return blockWritable(options.blockSize ?? blockSize, {
    async open() {
      if (options.append) {
        offset = (await getFileStatus(fs, path, { abortSignal: signal })).length;
        leaseId = crypto.randomUUID();
      } else {
        ({ leaseId } = await create(fs, path, {
          overwrite: options.overwrite ?? false,
          syncFlag: "DATA",
          abortSignal: signal,
        }));
      }
    },
    // The last APPEND closes the file, even when it carries no bytes.
    async send(block, last) {
      const syncFlag = last ? "CLOSE" : "DATA";
      await append(fs, path, block, { offset, syncFlag, leaseId, abortSignal: signal });
      offset += block.byteLength;
    },
  });
}
