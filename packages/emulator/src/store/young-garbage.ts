import v8 from "node:v8";
import { runInNewContext } from "node:vm";

/**
 * Streaming a GiB through TLS allocates a fresh buffer for every chunk read from the socket. They die young,
 * but V8 only scavenges when its new space fills with JS objects, so tens of MiB of dead chunk buffers can
 * pile up between collections. After every `INTERVAL_BYTES` streamed we ask for a minor (young-generation)
 * collection, which costs about a millisecond and keeps the emulator's RSS flat under sustained transfers.
 */
const INTERVAL_BYTES = 8 * 1024 * 1024;

type GcFunction = (options?: { type?: "minor" | "major"; execution?: "sync" | "async" }) => void;

let collect: GcFunction | null | undefined;
let sinceLast = 0;

function gcFunction(): GcFunction | null {
  try {
    // `gc` is only exposed to contexts created after the flag is set; the main context stays unchanged.
    v8.setFlagsFromString("--expose-gc");
    const fn = runInNewContext("gc") as unknown;
    return typeof fn === "function" ? (fn as GcFunction) : null;
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
