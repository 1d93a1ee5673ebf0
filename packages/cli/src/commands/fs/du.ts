import type { FileStatus } from "@adlkit/fs-client";
import type { Context } from "../../context.js";
import { formatBytes } from "../../output/human.js";
import { type Column, list, type Result } from "../../result.js";

interface Usage {
  path: string;
  type: FileStatus["type"];
  length: number;
  fileCount: number;
  directoryCount: number;
}

const COLUMNS: Column<Usage>[] = [
  { header: "SIZE", get: (u) => String(u.length), align: "right" },
  { header: "HUMAN", get: (u) => formatBytes(u.length), align: "right" },
  { header: "FILES", get: (u) => String(u.fileCount), align: "right" },
  { header: "PATH", get: (u) => u.path, style: (u) => (u.type === "DIRECTORY" ? "blue" : undefined) },
];

/** `adl fs du PATH`: bytes below each entry (a content summary per directory); `-s` one total. */
export async function du(options: { path: string; summary?: boolean }, ctx: Context): Promise<Result> {
  const fs = await ctx.fs();
  const signal = ctx.signal;
  const usage = async (status: FileStatus): Promise<Usage> => {
    if (status.type === "FILE")
      return { path: status.path, type: "FILE", length: status.length, fileCount: 1, directoryCount: 0 };
    const summary = await fs.getContentSummary(status.path, { abortSignal: signal });
    return {
      path: status.path,
      type: "DIRECTORY",
      length: summary.length,
      fileCount: summary.fileCount,
      directoryCount: summary.directoryCount,
    };
  };
  const root = await fs.stat(options.path, { abortSignal: signal });
  if (options.summary || root.type === "FILE") return list([await usage(root)], COLUMNS);
  async function* entries(): AsyncGenerator<Usage> {
    for await (const entry of fs.list(root.path, { abortSignal: signal })) yield await usage(entry);
  }
  return list(entries(), COLUMNS);
}
