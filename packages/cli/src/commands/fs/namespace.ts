import type { Context } from "../../context.js";
import { CliError } from "../../errors.js";
import type { Result } from "../../result.js";
import { requireGen1, requireSameStore } from "./location.js";
import { tryStat } from "./shared.js";

/**
 * Like `mkdir -p`: parents are created, an existing directory is fine (and said to be there, not "created"). The
 * root of a Gen2 location (`abfss://FS@ACCOUNT/`) is its filesystem, which this creates.
 */
export async function mkdir(options: { paths: string[]; mode?: string }, ctx: Context): Promise<Result> {
  const created: string[] = [];
  const existing: string[] = [];
  for (const location of options.paths) {
    const target = await ctx.fsAt(location);
    const { client: fs, path } = target;
    if (target.protocol === "gen2" && path === "/") {
      if (await createFilesystem(target.client, ctx.signal)) created.push(location);
      else existing.push(location);
      if (options.mode) await fs.setPermission("/", options.mode, { abortSignal: ctx.signal });
      continue;
    }
    const before = await tryStat(fs, path, ctx.signal);
    if (before?.type === "FILE") {
      throw new CliError(`cannot create directory ${location}: a file is there`, {
        code: "PATH_EXISTS",
        hint: "Choose another path, or remove the file first with `adl fs rm`.",
      });
    }
    if (before) {
      existing.push(location);
      continue;
    }
    await fs.mkdir(path, { abortSignal: ctx.signal, ...(options.mode ? { permission: options.mode } : {}) });
    created.push(location);
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

/** A filesystem made (true), or there already (false); a mode given with it is set on its root by the caller. */
async function createFilesystem(
  fs: { createFilesystem(o: { abortSignal: AbortSignal }): Promise<void> },
  signal: AbortSignal,
): Promise<boolean> {
  try {
    await fs.createFilesystem({ abortSignal: signal });
    return true;
  } catch (err) {
    if ((err as { code?: unknown }).code === "PATH_EXISTS") return false;
    throw err;
  }
}

export async function mv(
  options: { source: string; destination: string; overwrite?: boolean },
  ctx: Context,
): Promise<Result> {
  const source = await ctx.fsAt(options.source);
  const destination = await ctx.fsAt(options.destination);
  requireSameStore(source, destination, "fs mv");
  await source.client.mv(source.path, destination.path, {
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
  const deleted: string[] = [];
  const missing: string[] = [];
  for (const path of options.paths) {
    const { client: fs, path: inside } = await ctx.fsAt(path);
    try {
      // Without `force`, so that a missing path is known (and not reported as deleted); -f only excuses it.
      await fs.rm(inside, { abortSignal: ctx.signal, recursive: options.recursive === true });
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
  const created: string[] = [];
  const touched: string[] = [];
  for (const location of options.paths) {
    const target = await ctx.fsAt(location);
    const { path } = target;
    const status = await tryStat(target.client, path, ctx.signal);
    if (status) {
      const gen1 = requireGen1(
        target,
        "fs touch",
        "way to set the time of an existing file (SETTIMES)",
        "`adl fs touch` creates missing files on Gen2; an existing file's time changes only when it is written.",
      );
      await gen1.setTimes(path, { modificationTime: Date.now() }, { abortSignal: ctx.signal });
      touched.push(location);
    } else {
      await target.client.writeFile(path, new Uint8Array(0), { abortSignal: ctx.signal });
      created.push(location);
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
  const destination = await ctx.fsAt(options.destination);
  const fs = requireGen1(
    destination,
    "fs concat",
    "concatenation (MSCONCAT)",
    "Write the joined file with `adl fs cat A B … | adl fs put - DESTINATION`.",
  );
  const sources: string[] = [];
  for (const text of options.sources) {
    const source = await ctx.fsAt(text);
    if (source.store !== destination.store)
      throw new CliError(`${text} is not in the account of ${options.destination}`, {
        code: "CROSS_LOCATION_CONCAT",
        hint: "Join files of one account: copy the others in first with `adl fs cp`.",
      });
    sources.push(source.path);
  }
  await fs.msConcat(destination.path, sources, { abortSignal: ctx.signal });
  const status = await fs.stat(destination.path, { abortSignal: ctx.signal });
  return {
    kind: "message",
    message: `Joined ${options.sources.length} file(s) into ${options.destination} (${status.length} bytes).`,
    data: { destination: options.destination, sources: options.sources, length: status.length },
  };
}
