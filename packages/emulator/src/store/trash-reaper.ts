import { setImmediate as nextTurn } from "node:timers/promises";
import type { BlobStore } from "./blob-store.js";
import type { MetadataStore } from "./metadata-store.js";
import { TimeSlice } from "./time-slice.js";

/** Items deleted per transaction: small enough that one batch holds the event loop for a few milliseconds. */
const BATCH = 500;

/**
 * Reclaims the trash of one account in the background: directories removed with their entries (see
 * `MetadataStore.remove`) are deleted a batch at a time, each batch durable before its blobs are unlinked, with
 * other requests served between batches. Whatever a crash interrupts is still in the trash and is picked up
 * when the account is next opened.
 */
export class TrashReaper {
  readonly #meta: MetadataStore;
  readonly #blobs: BlobStore;
  #running: Promise<void> | undefined;
  /** More was put in the trash since the running pass began. */
  #wanted = false;

  constructor(meta: MetadataStore, blobs: BlobStore) {
    this.#meta = meta;
    this.#blobs = blobs;
    meta.onTrashed = () => this.start();
    if (meta.hasTrash()) this.start();
  }

  /** Starts reclaiming unless it runs already (called inside the transaction that filled the trash). */
  start(): void {
    this.#wanted = true;
    this.#running ??= this.#run().finally(() => {
      this.#running = undefined;
      if (this.#wanted && this.#meta.isOpen) this.start();
    });
  }

  /** Resolves when the trash is empty (or the store closed). */
  idle(): Promise<void> {
    return this.#running ?? Promise.resolve();
  }

  async #run(): Promise<void> {
    const slice = new TimeSlice();
    // Start after the transaction that filled the trash has committed.
    await nextTurn();
    try {
      while (this.#wanted && this.#meta.isOpen) {
        this.#wanted = false;
        for (let done = false; !done && this.#meta.isOpen; await slice.pause()) {
          const batch = await this.#meta.commit(() => this.#meta.reapTrash(BATCH));
          await this.#blobs.remove(batch.blobs);
          done = batch.done;
        }
      }
    } catch {
      this.#wanted = false;
      // The store was closed (the account was deleted, or the emulator stops) or the disk failed: what is left
      // stays in the trash, unreachable, and is reclaimed when the account is next opened.
    }
  }
}
