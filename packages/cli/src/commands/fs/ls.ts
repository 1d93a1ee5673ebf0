import type { FileStatus } from "@adlkit/fs-client";
import type { Context } from "../../context.js";
import { list, type Result } from "../../result.js";
import { STATUS_COLUMNS } from "./shared.js";

/** `adl fs ls [path] [-R]`: entries stream page by page (JSON: one array written item by item). */
export async function ls(options: { path?: string; recursive?: boolean }, ctx: Context): Promise<Result> {
  const fs = await ctx.fs();
  const path = options.path ?? "/";
  const signal = ctx.signal;
  const status = await fs.stat(path, { abortSignal: signal });
  let items: AsyncIterable<FileStatus> | FileStatus[];
  if (status.type === "FILE") items = [status];
  else if (options.recursive) items = fs.walk(status.path, { abortSignal: signal });
  else items = fs.list(status.path, { abortSignal: signal });
  return list(items, STATUS_COLUMNS);
}
