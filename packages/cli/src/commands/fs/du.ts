import type { ContentSummary, FileStatus } from "@adlkit/fs-client";
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

/**
 * `adl fs du PATH`: bytes below each entry (a content summary per directory); `-s` one total. Gen2 has no
 * content summary: there the totals come from one recursive listing of each directory.
 */
export async function du(options: { path: string; summary?: boolean }, ctx: Context): Promise<Result> {
  const target = await ctx.fsAt(options.path);
  const fs = target.client;
  const signal = ctx.signal;
  const summaryOf = async (
    path: string,
  ): Promise<Pick<ContentSummary, "length" | "fileCount" | "directoryCount">> => {
    if (target.protocol === "gen1") return target.client.getContentSummary(path, { abortSignal: signal });
    const sum = { length: 0, fileCount: 0, directoryCount: 1 };
    for await (const entry of target.client.walk(path, { abortSignal: signal })) {
      if (entry.type === "FILE") {
        sum.length += entry.length;
        sum.fileCount++;
      } else sum.directoryCount++;
    }
    return sum;
  };
  const usage = async (status: FileStatus): Promise<Usage> => {
    if (status.type === "FILE")
      return { path: status.path, type: "FILE", length: status.length, fileCount: 1, directoryCount: 0 };
    const summary = await summaryOf(status.path);
    return {
      path: status.path,
      type: "DIRECTORY",
      length: summary.length,
      fileCount: summary.fileCount,
      directoryCount: summary.directoryCount,
    };
  };
  const root = await fs.stat(target.path, { abortSignal: signal });
  if (options.summary || root.type === "FILE") return list([await usage(root)], COLUMNS);
  async function* entries(): AsyncGenerator<Usage> {
    for await (const entry of fs.list(root.path, { abortSignal: signal })) yield await usage(entry);
  }
  return list(entries(), COLUMNS);
}
