import v8 from "node:v8";
import { runInNewContext } from "node:vm";

/**
 * Why this exists. Node's HTTP parser copies every request-body chunk (one TLS record, ≤ 16 KiB) into a fresh
 * Buffer: ~65,000 of them per GiB uploaded. They die at once, but their memory lives outside the JS heap, and V8
 * only collects them when the *external* memory has grown by ~64 MiB (a full mark-compact), so a sustained
 * upload keeps 60-70 MiB of dead chunks resident (1 GiB upload: 157-171 MiB peak RSS without this, 105-120 MiB
 * with it; the limit is 150). Copying or pooling cannot help (the parser allocates before we see the chunk), and
 * `--max-semi-space-size` does not either (these are not young-heap bytes). A minor (young-generation) collection
 * every `INTERVAL_BYTES` streamed frees them: about 0.05-1 ms each, ~130 per GiB.
 *
 * V8 only exposes `gc` to contexts created while `--expose-gc` is set. We set the flag, create one context to take
 * its `gc`, and restore the flag immediately (unless it was already on), so the process that embeds the emulator
 * keeps its own flags: no other context, now or later, gets a `gc` it did not ask for.
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
