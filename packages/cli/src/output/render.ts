import type { Writable } from "node:stream";
import type { Result } from "../result.js";
import { formatRecord, writeTable } from "./human.js";
import { formatJson, writeJsonArray } from "./json.js";
import type { Paint } from "./style.js";
import { write } from "./write.js";

export interface RenderTarget {
  json: boolean;
  stdout: Writable;
  stderr: Writable;
  paint: Paint;
}

/**
 * Writes a command's result: data on stdout (a table or key/value list for humans, JSON with --json),
 * confirmations for humans on stderr. Under --json, stdout gets exactly one JSON document.
 */
export async function render(result: Result, target: RenderTarget): Promise<void> {
  const { json, stdout, stderr, paint } = target;
  switch (result.kind) {
    case "record":
      await write(stdout, json ? formatJson(result.data) : formatRecord(result.data, result.fields, paint));
      break;
    case "list": {
      const list = result as unknown as {
        items: AsyncIterable<unknown>;
        columns: never[];
        toJson?: (i: unknown) => unknown;
      };
      if (json) await writeJsonArray(stdout, list.items, list.toJson);
      else await writeTable(stdout, list.items, list.columns, paint);
      break;
    }
    case "message":
      if (json) await write(stdout, formatJson(result.data));
      break;
    case "raw":
      break;
  }
  if (!json && result.message) await write(stderr, `${result.message}\n`);
}
