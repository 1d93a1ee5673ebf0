import { constants } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { PAGE_ALIGNMENT } from "./buffer-pool.js";

/**
 * Offsets, lengths and buffer addresses of direct I/O must be multiples of the device's logical block size;
 * 4 KiB covers every common disk and filesystem (most need 512).
 */
export const DIRECT_IO_ALIGNMENT = PAGE_ALIGNMENT;

/** Errors that mean "no direct I/O here", not "this write failed". */
const DIRECT_IO_REFUSED = new Set(["EINVAL", "EOPNOTSUPP", "ENOTSUP"]);

/** True where the platform has O_DIRECT (Linux). */
export const directIoAvailable = constants.O_DIRECT !== undefined;

export interface DirectIoFileOptions {
  /** Send whole aligned blocks around the page cache where possible. */
  direct: boolean;
  /** Mode of a file this creates. @default 0o666 (less the umask) */
  mode?: number | undefined;
  /**
   * Shorter writes go through the page cache even when aligned: a small direct write costs a device round
   * trip (and, the first time, opening the direct descriptor) that the cache would absorb. @default 65536
   */
  minDirectLength?: number | undefined;
}

/**
 * A file written at positions, one write at a time (parallel writes to one file contend for its inode lock in
 * the kernel and are no faster than a queue).
 *
 * With direct I/O, whole aligned blocks from aligned buffers go straight to the disk (O_DIRECT, on a second
 * descriptor opened at the first such write) and everything else (an unaligned head or tail) through the page
 * cache. That skips a copy of every byte and, on virtual machines that hand freed memory back to the host
 * (free page reporting), a page fault per 4 KiB of fresh page cache, which there costs more CPU than TLS.
 * The price: the bytes are not in the page cache afterwards (a read goes to the disk), and on a disk slower
 * than the network a writer waits for the disk instead of for the kernel's writeback. A filesystem that
 * refuses O_DIRECT (some FUSE, older tmpfs) just gets buffered writes.
 */
export class DirectIoFile {
  readonly #path: string;
  readonly #buffered: FileHandle;
  #direct: FileHandle | undefined;
  /** Whether direct writes are still wanted (off once refused). */
  #wantDirect: boolean;
  readonly #minDirectLength: number;
  #directWrites = 0;
  #tail: Promise<void> = Promise.resolve();

  private constructor(path: string, buffered: FileHandle, options: DirectIoFileOptions) {
    this.#path = path;
    this.#buffered = buffered;
    this.#wantDirect = options.direct && directIoAvailable;
    this.#minDirectLength = options.minDirectLength ?? 64 * 1024;
  }

  /** Opens `path` with `flags` ("w" truncates, "wx" creates a new file, "r+" writes into an existing one). */
  static async open(
    path: string,
    flags: "w" | "wx" | "r+",
    options: DirectIoFileOptions,
  ): Promise<DirectIoFile> {
    const handle = await open(path, flags, options.mode);
    return new DirectIoFile(path, handle, options);
  }

  /** Writes that went around the page cache so far. */
  get directWrites(): number {
    return this.#directWrites;
  }

  /** False once direct I/O was refused (or was never asked for). */
  get direct(): boolean {
    return this.#wantDirect;
  }

  truncate(size: number): Promise<void> {
    return this.#buffered.truncate(size);
  }

  /** Writes `buffer[0, length)` at `position`; `aligned` says the buffer's address suits direct I/O. */
  write(buffer: Buffer, length: number, position: number, aligned: boolean): Promise<void> {
    const result = this.#tail.then(() => this.#write(buffer, length, position, aligned));
    this.#tail = result.catch(() => {});
    return result;
  }

  async #write(buffer: Buffer, length: number, position: number, aligned: boolean): Promise<void> {
    if (
      this.#wantDirect &&
      aligned &&
      length >= this.#minDirectLength &&
      length % DIRECT_IO_ALIGNMENT === 0 &&
      position % DIRECT_IO_ALIGNMENT === 0
    ) {
      try {
        this.#direct ??= await open(this.#path, constants.O_WRONLY | constants.O_DIRECT);
        await writeAll(this.#direct, buffer, length, position);
        this.#directWrites++;
        return;
      } catch (err) {
        // This filesystem refuses O_DIRECT (EINVAL, or EOPNOTSUPP on some FUSE and network filesystems) or wants
        // another alignment (EINVAL): the page cache takes the rest.
        if (!DIRECT_IO_REFUSED.has((err as NodeJS.ErrnoException).code ?? "")) throw err;
        this.#wantDirect = false;
        await this.#direct?.close().catch(() => {});
        this.#direct = undefined;
      }
    }
    await writeAll(this.#buffered, buffer, length, position);
  }

  /** fsync after the queued writes: one call covers both descriptors (they share the inode). */
  async sync(): Promise<void> {
    await this.#tail;
    await this.#buffered.sync();
  }

  /** fdatasync after the queued writes (data and the metadata needed to read it back). */
  async datasync(): Promise<void> {
    await this.#tail;
    await this.#buffered.datasync();
  }

  /** Closes both descriptors after the queued writes have settled. */
  async close(): Promise<void> {
    await this.#tail;
    const direct = this.#direct;
    this.#direct = undefined;
    await Promise.all([this.#buffered.close(), direct?.close()]);
  }
}

async function writeAll(handle: FileHandle, buffer: Buffer, length: number, position: number): Promise<void> {
  let written = 0;
  while (written < length) {
    const { bytesWritten } = await handle.write(buffer, written, length - written, position + written);
    written += bytesWritten;
  }
}
