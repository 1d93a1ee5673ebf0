import type { Context } from "../../context.js";
import { CliError } from "../../errors.js";
import type { Result } from "../../result.js";
import { tryStat } from "./shared.js";

export async function mkdir(options: { paths: string[]; mode?: string }, ctx: Context): Promise<Result> {
  const fs = await ctx.fs();
  for (const path of options.paths) {
    await fs.mkdir(path, { abortSignal: ctx.signal, ...(options.mode ? { permission: options.mode } : {}) });
  }
  return {
    kind: "message",
    message: `Created ${options.paths.join(", ")}.`,
    data: { created: options.paths },
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
  for (const path of options.paths) {
    try {
      await fs.rm(path, {
        abortSignal: ctx.signal,
        recursive: options.recursive === true,
        force: options.force === true,
      });
    } catch (err) {
      const code = (err as { code?: unknown }).code;
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
  return { kind: "message", message: `Deleted ${deleted.join(", ")}.`, data: { deleted } };
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
