import { Writable } from "node:stream";

/** What a protocol does with the blocks a {@link blockWritable} cuts: open the file, then send each block. */
export interface BlockSink {
  /** Runs before the first block (create the file, or find where an append starts). */
  open(): Promise<void>;
  /**
   * Sends one block, in order. Full blocks come with `last: false`; the end of the stream comes once with
   * `last: true` and what remains (possibly nothing), so the protocol can close the file in the same call.
   * `block` is reused after the promise settles.
   */
  send(block: Buffer, last: boolean): Promise<void>;
}

/**
 * A Node Writable that cuts what is written into blocks of `blockSize` bytes and hands them to `sink` one at a
 * time: memory is one block whatever the file's size, and a block is sent only after the previous one landed.
 */
export function blockWritable(blockSize: number, sink: BlockSink): Writable {
  let buffer = Buffer.allocUnsafe(blockSize);
  let filled = 0;
  const sendFilled = async (last: boolean) => {
    const block = buffer.subarray(0, filled);
    filled = 0;
    await sink.send(block, last);
  };
  return new Writable({
    highWaterMark: blockSize,
    construct(callback) {
      sink.open().then(() => callback(), callback);
    },
    write(chunk: Buffer, _encoding, callback) {
      (async () => {
        let consumed = 0;
        while (consumed < chunk.byteLength) {
          const take = Math.min(blockSize - filled, chunk.byteLength - consumed);
          chunk.copy(buffer, filled, consumed, consumed + take);
          filled += take;
          consumed += take;
          if (filled === blockSize) await sendFilled(false);
        }
      })().then(() => callback(), callback);
    },
    final(callback) {
      sendFilled(true).then(() => {
        buffer = Buffer.alloc(0);
        callback();
      }, callback);
    },
  });
}
