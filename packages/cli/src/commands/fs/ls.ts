import type { FileStatus } from "@adlkit/fs-client";
import type { Context } from "../../context.js";
import { formatBytes, formatPermission, formatTime } from "../../output/human.js";
import { type Column, list, type Result } from "../../result.js";

/**
 * `adl fs ls [path] [-R] [-H|--no-human]`: entries stream page by page (JSON: one array written item by item,
 * with exact lengths and whole ids).
 */
export async function ls(
  options: { path?: string; recursive?: boolean; human?: boolean },
  ctx: Context,
): Promise<Result> {
  const { client: fs, path } = await ctx.fsAt(options.path ?? "/");
  const signal = ctx.signal;
  const status = await fs.stat(path, { abortSignal: signal });
  let items: AsyncIterable<FileStatus> | FileStatus[];
  if (status.type === "FILE") items = [status];
  else if (options.recursive) items = fs.walk(status.path, { abortSignal: signal });
  else items = fs.list(status.path, { abortSignal: signal });
  const terminal = ctx.stdout.isTTY === true;
  return list(items, statusColumns({ human: options.human ?? terminal, shortIds: terminal }), {
    empty: `${options.path ?? "/"} is empty.`,
  });
}

/**
 * The table of `fs ls`. For a person at a terminal, sizes are human-readable and owner and group object ids
 * (GUIDs) are cut to their first 8 characters, so a row fits in 80 columns; piped, everything is exact and
 * whole, for scripts.
 */
export function statusColumns(options: { human: boolean; shortIds: boolean }): Column<FileStatus>[] {
  const id = (value: string) => (options.shortIds ? shortId(value) : value);
  return [
    {
      header: "PERMISSION",
      get: (s) => formatPermission(s.permission, s.type === "DIRECTORY", s.aclBit === true),
    },
    { header: "OWNER", get: (s) => id(s.owner) },
    { header: "GROUP", get: (s) => id(s.group) },
    {
      header: "SIZE",
      get: (s) => (s.type === "DIRECTORY" ? "-" : options.human ? formatBytes(s.length) : String(s.length)),
      align: "right",
    },
    { header: "MODIFIED (UTC)", get: (s) => formatTime(s.modificationTime) },
    { header: "PATH", get: (s) => s.path, style: (s) => (s.type === "DIRECTORY" ? "blue" : undefined) },
  ];
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_ID = 20;

/** `90cb14b8-9ccd-49fe-9289-c62f093909ff` → `90cb14b8…`; other long names keep their first characters. */
export function shortId(id: string): string {
  if (GUID.test(id)) return `${id.slice(0, 8)}…`;
  return id.length > MAX_ID ? `${id.slice(0, MAX_ID - 1)}…` : id;
}
