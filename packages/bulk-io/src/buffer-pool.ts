/** Page size assumed for aligned buffers (and the alignment direct I/O needs). */
export const PAGE_ALIGNMENT = 4096;

const WASM_PAGE = 64 * 1024;

/** The one WebAssembly API used here (the ES lib this package compiles against does not declare it). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
declare const WebAssembly: {
  Memory: new (descriptor: { initial: number; maximum?: number }) => WasmMemory;
};

/**
 * Reusable buffers, so memory is bounded by the writes in flight, however many bytes go through. When asked for
 * aligned buffers (for direct I/O) the first `capacity` are carved out of WebAssembly memory, which V8 maps at
 * page-aligned addresses: the only page-aligned memory JavaScript can get (Buffer's malloc'd storage is not).
 * Past `capacity` (more writers than planned) plain buffers are handed out; they work, just not around the cache.
 */
export class BufferPool {
  readonly #free: Buffer[] = [];
  readonly #aligned = new WeakSet<ArrayBufferLike>();
  readonly #slab: WasmMemory | undefined;
  #carved = 0;
  readonly #capacity: number;

  /** `size` bytes per buffer; `capacity` of them aligned (if `aligned` and `size` is a multiple of a page). */
  constructor(
    readonly size: number,
    capacity: number,
    aligned: boolean,
  ) {
    this.#capacity = capacity;
    if (aligned && size % PAGE_ALIGNMENT === 0) this.#slab = alignedSlab(size * capacity);
  }

  /** True if the buffers start at page-aligned addresses (direct I/O can use them). */
  get aligned(): boolean {
    return this.#slab !== undefined;
  }

  isAligned(buffer: Buffer): boolean {
    return this.#aligned.has(buffer.buffer) && buffer.byteOffset % PAGE_ALIGNMENT === 0;
  }

  take(): Buffer {
    const reused = this.#free.pop();
    if (reused) return reused;
    if (this.#slab && this.#carved < this.#capacity) {
      // Pages of the slab are touched (and counted in RSS) only when a buffer is first filled.
      const buffer = Buffer.from(this.#slab.buffer, this.#carved++ * this.size, this.size);
      this.#aligned.add(buffer.buffer);
      return buffer;
    }
    return Buffer.allocUnsafeSlow(this.size);
  }

  give(buffer: Buffer): void {
    this.#free.push(buffer);
  }
}

function alignedSlab(bytes: number): WasmMemory | undefined {
  const pages = Math.ceil(bytes / WASM_PAGE);
  try {
    return new WebAssembly.Memory({ initial: pages, maximum: pages });
  } catch {
    // WebAssembly disabled (--jitless) or no address space: plain buffers through the page cache.
    return undefined;
  }
}
