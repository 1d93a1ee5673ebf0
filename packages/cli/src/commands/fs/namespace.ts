import type { Context } from "../../context.js";
import { CliError } from "../../errors.js";
import type { Result } from "../../result.js";
import { tryStat } from "./shared.js";

/** Like `mkdir -p`: parents are created, an existing directory is fine (and said to be there, not "created"). */
export async function mkdir(options: { paths: string[]; mode?: string }, ctx: Context): Promise<Result> {
  const fs = await ctx.fs();
  const created: string[] = [];
  const existing: string[] = [];
  for (const path of options.paths) {
    const before = await tryStat(fs, path, ctx.signal);
    if (before?.type === "FILE") {
      throw new CliError(`cannot create directory ${path}: a file is there`, {
        code: "PATH_EXISTS",
        hint: "Choose another path, or remove the file first with `adl fs rm`.",
      });
    }
    if (before) {
      existing.push(path);
      continue;
    }
    await fs.mkdir(path, { abortSignal: ctx.signal, ...(options.mode ? { permission: options.mode } : {}) });
    created.push(path);
  }
  const parts = [
    created.length ? `Created ${created.join(", ")}` : "",
    existing.length
      ? `${existing.join(", ")} already exist${existing.length === 1 ? "s" : ""}${options.mode ? " (permission unchanged)" : ""}`
      : "",
  ];
  return {
    kind: "message",
    message: `${parts.filter(Boolean).join("; ")}.`,
    data: { created, existing },
  };
}

export async function mv(
  options: { source: string; destination: string; overwrite?: boolean },
  ctx: Context,
): Promise<Result> {
  const fs = await ctx.fs();
  await fs.mv(options.source, options.destination, {
    abortSignal: ctx.signal,
    overwrite: options.overwrite === true,
  });
  return {
    kind: "message",
    message: `Moved ${options.source} to ${options.destination}.`,
    data: { source: options.source, destination: options.destination },
  };
}

export async function rm(
  options: { paths: string[]; recursive?: boolean; force?: boolean },
  ctx: Context,
): Promise<Result> {
  const fs = await ctx.fs();
  const deleted: string[] = [];
  const missing: string[] = [];
  for (const path of options.paths) {
    try {
      // Without `force`, so that a missing path is known (and not reported as deleted); -f only excuses it.
      await fs.rm(path, { abortSignal: ctx.signal, recursive: options.recursive === true });
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (code === "PATH_NOT_FOUND" && options.force) {
        missing.push(path);
        continue;
      }
      if (code === "PATH_NOT_FOUND") {
        throw new CliError(`cannot delete ${path}: no such file or directory`, {
          code: "PATH_NOT_FOUND",
          hint: "Pass -f to ignore missing paths.",
          exitCode: 3,
        });
      }
      if (code === "DIRECTORY_NOT_EMPTY") {
        throw new CliError(`cannot delete ${path}: the directory is not empty`, {
          code: "DIRECTORY_NOT_EMPTY",
          hint: "Pass -r to delete it with everything in it.",
        });
      }
      throw err;
    }
    deleted.push(path);
  }
  const parts = [
    deleted.length ? `Deleted ${deleted.join(", ")}` : "",
    missing.length ? `nothing to delete at ${missing.join(", ")} (no such file or directory)` : "",
  ].filter(Boolean);
  const text = parts.join("; ");
  return {
    kind: "message",
    message: `${text.charAt(0).toUpperCase()}${text.slice(1)}.`,
    data: { deleted, missing },
  };
}

/** Creates missing files empty; sets the modification time of existing ones to now. */
export async function touch(options: { paths: string[] }, ctx: Context): Promise<Result> {
  const fs = await ctx.fs();
  const created: string[] = [];
  const touched: string[] = [];
  for (const path of options.paths) {
    const status = await tryStat(fs, path, ctx.signal);
    if (status) {
      await fs.setTimes(path, { modificationTime: Date.now() }, { abortSignal: ctx.signal });
      touched.push(path);
    } else {
      await fs.writeFile(path, new Uint8Array(0), { abortSignal: ctx.signal });
      created.push(path);
    }
  }
  const parts = [
    created.length ? `created ${created.join(", ")}` : "",
    touched.length ? `updated the time of ${touched.join(", ")}` : "",
  ];
  const text = parts.filter(Boolean).join("; ");
  return {
    kind: "message",
    message: `${text.charAt(0).toUpperCase()}${text.slice(1)}.`,
    data: { created, touched },
  };
}

export async function concat(
  options: { destination: string; sources: string[] },
  ctx: Context,
): Promise<Result> {
  const fs = await ctx.fs();
  await fs.msConcat(options.destination, options.sources, { abortSignal: ctx.signal });
  const status = await fs.stat(options.destination, { abortSignal: ctx.signal });
  return {
    kind: "message",
    message: `Joined ${options.sources.length} file(s) into ${options.destination} (${status.length} bytes).`,
    data: { destination: options.destination, sources: options.sources, length: status.length },
  };
}
