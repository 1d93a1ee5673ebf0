import { constants } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { PAGE_ALIGNMENT } from "./buffer-pool.js";

/**
 * Offsets, lengths and buffer addresses of direct I/O must be multiples of the device's logical block size;
 * 4 KiB covers every common disk and filesystem (most need 512).
 */
export const DIRECT_IO_ALIGNMENT = PAGE_ALIGNMENT;

/** Below this size a file goes through the page cache: direct I/O saves nothing worth its round trips. */
export const DIRECT_IO_MIN_FILE_SIZE = 32 * 1024 * 1024;

/** Whether to write a download around the page cache (see GetOptions.directIo). */
export type DirectIoSetting = boolean | "auto";

/**
 * The temp file of one download, written at positions one write at a time (parallel writes to one file
 * contend for its inode lock in the kernel and are no faster than a queue).
 *
 * With direct I/O, whole aligned blocks go from our buffers straight to the disk (O_DIRECT) and the rest
 * (a file's unaligned tail) through the page cache on a second descriptor. That skips a copy per byte, and
 * on virtual machines that hand freed memory back to the host (free page reporting), it skips faulting a
 * fresh page cache page in for every 4 KiB written, which costs more CPU than receiving the bytes over TLS.
 * The price: the bytes are not in the page cache afterwards, and on a disk slower than the network the
 * download waits for the disk instead of for the kernel's writeback. A filesystem that refuses O_DIRECT
 * (tmpfs, some FUSE) just gets buffered writes.
 */
export class DownloadFile {
  #direct: FileHandle | undefined;
  readonly #buffered: FileHandle;
  #tail: Promise<void> = Promise.resolve();

  private constructor(buffered: FileHandle, direct: FileHandle | undefined) {
    this.#buffered = buffered;
    this.#direct = direct;
  }

  /** Creates (truncated to `size`) or reopens the temp file, with a direct descriptor if asked and possible. */
  static async open(path: string, options: { create: boolean; size: number; direct: boolean }) {
    const buffered = await open(path, options.create ? "w" : "r+");
    try {
      if (options.create) await buffered.truncate(options.size);
      const direct = options.direct ? await openDirect(path) : undefined;
      return new DownloadFile(buffered, direct);
    } catch (err) {
      await buffered.close().catch(() => {});
      throw err;
    }
  }

  /** True while whole aligned blocks bypass the page cache. */
  get direct(): boolean {
    return this.#direct !== undefined;
  }

  /** Writes `buffer[0, length)` at `position`; `aligned` says the buffer's address suits direct I/O. */
  write(buffer: Buffer, length: number, position: number, aligned: boolean): Promise<void> {
    const result = this.#tail.then(() => this.#write(buffer, length, position, aligned));
    this.#tail = result.catch(() => {});
    return result;
  }

  async #write(buffer: Buffer, length: number, position: number, aligned: boolean): Promise<void> {
    const direct = this.#direct;
    if (direct && aligned && length % DIRECT_IO_ALIGNMENT === 0 && position % DIRECT_IO_ALIGNMENT === 0) {
      try {
        return await writeAll(direct, buffer, length, position);
      } catch (err) {
        // EINVAL: this filesystem wants another alignment after all; the page cache takes the rest.
        if ((err as NodeJS.ErrnoException).code !== "EINVAL") throw err;
        this.#direct = undefined;
        await direct.close().catch(() => {});
      }
    }
    await writeAll(this.#buffered, buffer, length, position);
  }

  /** fsync: one call covers the writes of both descriptors (they share the inode). */
  async sync(): Promise<void> {
    await this.#tail;
    await this.#buffered.sync();
  }

  async close(): Promise<void> {
    const direct = this.#direct;
    this.#direct = undefined;
    await Promise.all([this.#buffered.close(), direct?.close()]);
  }
}

async function openDirect(path: string): Promise<FileHandle | undefined> {
  const flag = constants.O_DIRECT;
  if (!flag) return undefined; // not Linux
  try {
    return await open(path, constants.O_WRONLY | flag);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EINVAL") return undefined;
    throw err;
  }
}

async function writeAll(handle: FileHandle, buffer: Buffer, length: number, position: number): Promise<void> {
  let written = 0;
  while (written < length) {
    const { bytesWritten } = await handle.write(buffer, written, length - written, position + written);
    written += bytesWritten;
  }
}

/** Resolves "auto": direct I/O for files large enough to matter, where the platform has it. */
export function wantsDirectIo(setting: DirectIoSetting, size: number): boolean {
  if (setting === "auto") return size >= DIRECT_IO_MIN_FILE_SIZE && constants.O_DIRECT !== undefined;
  return setting && constants.O_DIRECT !== undefined;
}
