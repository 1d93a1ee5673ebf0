import type { Writable } from "node:stream";
import type { Result } from "../result.js";
import { formatRecord, writeTable } from "./human.js";
import { formatJson, writeJsonArray } from "./json.js";
import type { Paint } from "./style.js";
import { write } from "./write.js";

export interface RenderTarget {
  json: boolean;
  /** -q: no confirmation, no "nothing to list". */
  quiet?: boolean | undefined;
  /** -v: summaries too (`detail` records). */
  verbose?: boolean | undefined;
  stdout: Writable;
  stderr: Writable;
  paint: Paint;
}

/**
 * Writes a command's result: data on stdout (a table or key/value list for humans, JSON with --json),
 * confirmations for humans on stderr (one line, none with -q). Under --json, stdout gets exactly one JSON
 * document and stderr nothing.
 */
export async function render(result: Result, target: RenderTarget): Promise<void> {
  const { json, stdout, stderr, paint } = target;
  const say = async (text: string | undefined) => {
    if (!json && !target.quiet && text) await write(stderr, `${text}\n`);
  };
  switch (result.kind) {
    case "record":
      if (json) await write(stdout, formatJson(result.data));
      else if (!result.detail || target.verbose)
        await write(stdout, formatRecord(result.data, result.fields, paint));
      break;
    case "list": {
      const list = result as unknown as {
        items: AsyncIterable<unknown>;
        columns: never[];
        toJson?: (i: unknown) => unknown;
        empty?: string;
      };
      if (json) await writeJsonArray(stdout, list.items, list.toJson);
      else if ((await writeTable(stdout, list.items, list.columns, paint)) === 0)
        await say(list.empty ?? "Nothing to list.");
      break;
    }
    case "message":
      if (json) await write(stdout, formatJson(result.data));
      break;
    case "raw":
      break;
  }
  await say(result.message);
}
