import type { Writable } from "node:stream";
import { write } from "./write.js";

/** One JSON document, pretty-printed, newline-terminated. */
export function formatJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * A JSON array written item by item as the items arrive (one compact item per line), so a long listing
 * starts at once and never sits in memory; stdout stays one valid JSON document.
 */
export async function writeJsonArray<T>(
  stream: Writable,
  items: AsyncIterable<T> | Iterable<T>,
  toJson: (item: T) => unknown = (item) => item,
): Promise<number> {
  let count = 0;
  await write(stream, "[");
  for await (const item of items) {
    await write(stream, `${count === 0 ? "\n" : ",\n"}  ${JSON.stringify(toJson(item))}`);
    count++;
  }
  await write(stream, count === 0 ? "]\n" : "\n]\n");
  return count;
}
