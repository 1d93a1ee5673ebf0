import { constants } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { DescriptorPair, isDirectIoRefusal } from "./descriptor-pair.js";
import { DIRECT_IO_ALIGNMENT, directIoAvailable } from "./direct-io-file.js";

export interface DirectReadFileOptions {
  /** Read whole aligned ranges into aligned buffers around the page cache where possible. */
  direct: boolean;
  /**
   * Shorter reads go through the page cache even when aligned: a small direct read is a device round trip
   * that a cached page would have answered. @default 65536
   */
  minDirectLength?: number | undefined;
}

/**
 * A file read at positions, where reads that suit it go around the page cache (O_DIRECT, Linux).
 *
 * Why: a buffered read copies every byte from the page cache into the caller's buffer, and that copy was the
 * largest single item of an upload's CPU (a 1 GiB upload: ~0.16 of ~1.2 CPU-s, `_copy_to_iter` in a `perf`
 * profile); a direct read has the disk place the bytes in the buffer itself. The price is that the bytes come
 * from the disk even when the page cache holds them, so on a disk slower than the network, buffered reads of a
 * cached file are faster.
 *
 * A read goes direct when its position is aligned, it is at least `minDirectLength` long, and the caller says
 * that the buffer is aligned and has room for the length rounded up to the alignment (the read asks for that
 * much; at the end of the file the kernel returns less). Anything else, and everything once the filesystem has
 * refused O_DIRECT, goes through the page cache.
 */
export class DirectReadFile {
  /** The ordinary descriptor, and the O_DIRECT one opened by the first direct read, however many start together. */
  readonly #files: DescriptorPair;
  #wantDirect: boolean;
  readonly #minDirectLength: number;
  #directReads = 0;

  private constructor(path: string, buffered: FileHandle, options: DirectReadFileOptions) {
    this.#files = new DescriptorPair(path, buffered, constants.O_RDONLY);
    this.#wantDirect = options.direct && directIoAvailable;
    this.#minDirectLength = options.minDirectLength ?? 64 * 1024;
  }

  static async open(path: string, options: DirectReadFileOptions): Promise<DirectReadFile> {
    return new DirectReadFile(path, await open(path, "r"), options);
  }

  /** Reads that went around the page cache so far. */
  get directReads(): number {
    return this.#directReads;
  }

  /** False once direct I/O was refused (or was never asked for). */
  get direct(): boolean {
    return this.#wantDirect;
  }

  /**
   * Reads up to `length` bytes at `position` into the start of `buffer`; resolves to the count (0 at the end of
   * the file, and never more than `length`). `aligned` says the buffer's address suits direct I/O.
   */
  async read(buffer: Buffer, length: number, position: number, aligned: boolean): Promise<number> {
    const rounded = Math.ceil(length / DIRECT_IO_ALIGNMENT) * DIRECT_IO_ALIGNMENT;
    if (
      this.#wantDirect &&
      aligned &&
      length >= this.#minDirectLength &&
      position % DIRECT_IO_ALIGNMENT === 0 &&
      buffer.byteLength >= rounded
    ) {
      try {
        const { bytesRead } = await (await this.#files.direct()).read(buffer, 0, rounded, position);
        this.#directReads++;
        // The rounded-up read may have gone past `length` into bytes the caller did not ask for (a file that
        // grew): they are in the buffer, but not counted.
        return Math.min(bytesRead, length);
      } catch (err) {
        if (!isDirectIoRefusal(err)) throw err;
        this.#wantDirect = false; // the page cache answers from now on
      }
    }
    const { bytesRead } = await this.#files.buffered.read(buffer, 0, length, position);
    return bytesRead;
  }

  /** Closes both descriptors. Reads still running must have settled (their results are the caller's). */
  close(): Promise<void> {
    return this.#files.close();
  }
}
