import { type FileStatus, normalizePath } from "@adlkit/fs-client";
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
  const { client: fs, path, protocol, show } = await ctx.fsAt(options.path ?? "/");
  const signal = ctx.signal;
  let items: AsyncIterable<FileStatus> | FileStatus[];
  if (options.recursive || protocol !== "gen1") {
    const status = await fs.stat(path, { abortSignal: signal });
    if (status.type === "FILE") items = [status];
    else if (options.recursive) items = fs.walk(status.path, { abortSignal: signal });
    else items = fs.list(status.path, { abortSignal: signal });
  } else {
    // On Gen1, LISTSTATUS alone answers what a GETFILESTATUS before it would: a file lists as itself and a
    // missing path fails the same way. Its first page is awaited here, so a failure still comes before any output.
    items = await withFirstPage(fs.list(path, { abortSignal: signal }));
  }
  const terminal = ctx.stdout.isTTY === true;
  return list(items, statusColumns({ human: options.human ?? terminal, shortIds: terminal }), {
    empty: `${show(normalizePath(path))} is empty.`,
  });
}

/** The same entries, the first already fetched (its errors thrown here); the rest still streams. */
async function withFirstPage<T>(entries: AsyncIterable<T>): Promise<AsyncIterable<T>> {
  const iterator = entries[Symbol.asyncIterator]();
  const first = await iterator.next();
  return {
    async *[Symbol.asyncIterator]() {
      try {
        if (first.done) return;
        yield first.value;
        for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
      } finally {
        await iterator.return?.(); // a reader that stops early ends the listing too
      }
    },
  };
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
