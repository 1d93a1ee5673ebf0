import { constants } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";

/** Errors that mean "no direct I/O here", not "this read or write failed". */
const DIRECT_IO_REFUSED = new Set(["EINVAL", "EOPNOTSUPP", "ENOTSUP"]);

/**
 * True if `err` says this filesystem refuses O_DIRECT (EINVAL, or EOPNOTSUPP on some FUSE and network
 * filesystems) or wants another alignment (EINVAL): the caller goes on through the page cache.
 */
export function isDirectIoRefusal(err: unknown): boolean {
  return DIRECT_IO_REFUSED.has((err as NodeJS.ErrnoException | null)?.code ?? "");
}

/**
 * A file's ordinary descriptor and, opened at first use, a second one with O_DIRECT: what DirectIoFile and
 * DirectReadFile both keep. The direct one stays open until `close()` even once refused, since other reads or
 * writes that started alongside may still be using it.
 */
export class DescriptorPair {
  readonly #path: string;
  readonly buffered: FileHandle;
  readonly #directFlags: number;
  #direct: Promise<FileHandle> | undefined;

  /** `directFlags`: the access mode of the direct descriptor (O_RDONLY, O_WRONLY); O_DIRECT is added. */
  constructor(path: string, buffered: FileHandle, directFlags: number) {
    this.#path = path;
    this.buffered = buffered;
    this.#directFlags = directFlags;
  }

  /** The O_DIRECT descriptor: opened once, by the first caller, however many ask together. */
  direct(): Promise<FileHandle> {
    this.#direct ??= open(this.#path, this.#directFlags | constants.O_DIRECT);
    return this.#direct;
  }

  /** Closes both descriptors (the caller makes sure nothing still uses them). */
  async close(): Promise<void> {
    const direct = this.#direct;
    this.#direct = undefined;
    await Promise.all([
      this.buffered.close(),
      direct?.then(
        (handle) => handle.close(),
        () => {}, // never opened: refused, already answered to the call that asked
      ),
    ]);
  }
}
