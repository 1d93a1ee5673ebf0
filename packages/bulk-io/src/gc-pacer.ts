import v8 from "node:v8";
import { runInNewContext } from "node:vm";

/**
 * Why this exists. Node hands every chunk of a TLS stream (one record, at most 16 KiB) to JavaScript in a fresh
 * Buffer, tens of thousands per GiB, on a server (request bodies) and on a client (response bodies). They die at
 * once, but their memory lives outside the JS heap, and V8 collects them only when the *external* memory has grown
 * by some tens of MiB, with a full mark-compact: a long transfer keeps that much dead memory resident and pays for
 * major GCs of the whole heap. Pooling cannot help (Node allocates before our code sees a chunk) and
 * `--max-semi-space-size` does not either (these are not young-heap bytes). A minor (young-generation) collection
 * every `INTERVAL_BYTES` streamed frees them. The README has the measured effect.
 *
 * It acts on the whole process, so only code that owns the process calls it (the emulator's server, a CLI, a
 * transfer service; fs-client only when its `gcPacing` option is on), never a library on its host's behalf.
 * V8 only exposes `gc` to contexts created while `--expose-gc` is set. The first call sets the flag, creates one
 * context to take its `gc`, and restores the flag immediately (unless it was already on), so no other context,
 * now or later, gets a `gc` it did not ask for. Where that fails, this does nothing. Importing this module does
 * nothing at all (the package is `sideEffects: false`).
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

/**
 * Counts bytes streamed through the process and, every 8 MiB, collects the young generation. Calling it is the
 * opt-in: see above for who may.
 */
export function noteStreamedBytes(bytes: number): void {
  sinceLast += bytes;
  if (sinceLast < INTERVAL_BYTES) return;
  sinceLast = 0;
  if (collect === undefined) collect = gcFunction();
  collect?.({ type: "minor" });
}
