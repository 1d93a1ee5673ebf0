import { once } from "node:events";
import type { Writable } from "node:stream";

/** Writes text, waiting for `drain` when the stream's buffer is full, so long listings use bounded memory. */
export async function write(stream: Writable, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, "drain");
}
