import v8 from "node:v8";
import { runInNewContext } from "node:vm";

/**
 * Why this exists. Node hands every chunk of a TLS stream (one record, at most 16 KiB) to JavaScript in a fresh
 * Buffer: about 65,000 of them per GiB, on the server (request bodies) and on the client (response bodies). They
 * die at once, but their memory lives outside the JS heap, and V8 collects them only when the *external* memory
 * has grown by ~64 MiB, with a full mark-compact. A long transfer therefore keeps 60-70 MiB of dead chunks
 * resident and pays for major GCs of the whole heap. Measured on 1 GiB: the emulator's upload peak RSS went from
 * 157-171 MiB to 105-120 MiB; fs-client's download from ~200 MiB to ~130 MiB, and its CPU time fell by ~40%
 * (major-GC marking was about a sixth of it). Pooling cannot help (Node allocates before our code sees a chunk)
 * and `--max-semi-space-size` does not either (these are not young-heap bytes). A minor (young-generation)
 * collection every `INTERVAL_BYTES` streamed frees them: about 0.05-1 ms each, ~130 per GiB.
 *
 * V8 only exposes `gc` to contexts created while `--expose-gc` is set. We set the flag, create one context to take
 * its `gc`, and restore the flag immediately (unless it was already on), so the embedding process keeps its own
 * flags: no other context, now or later, gets a `gc` it did not ask for. Where that fails, this does nothing.
 */
const INTERVAL_BYTES = 8 * 1024 * 1024;

type GcFunction = (options?: { type?: "minor" | "major"; execution?: "sync" | "async" }) => void;

let collect: GcFunction | null | undefined;
let sinceLast = 0;

function gcFunction(): GcFunction | null {
  try {
    const existing = runInNewContext("typeof gc === 'function' ? gc : undefined") as unknown;
    if (typeof existing === "function") return existing as GcFunction; // the process runs with --expose-gc
    v8.setFlagsFromString("--expose-gc");
    try {
      const fn = runInNewContext("gc") as unknown;
      return typeof fn === "function" ? (fn as GcFunction) : null;
    } finally {
      v8.setFlagsFromString("--no-expose-gc");
    }
  } catch {
    return null;
  }
}

/** Counts bytes streamed through the process and, every 8 MiB, collects the young generation. */
export function noteStreamedBytes(bytes: number): void {
  sinceLast += bytes;
  if (sinceLast < INTERVAL_BYTES) return;
  sinceLast = 0;
  if (collect === undefined) collect = gcFunction();
  collect?.({ type: "minor" });
}
