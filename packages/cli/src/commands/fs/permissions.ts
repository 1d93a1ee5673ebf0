import type { Context } from "../../context.js";
import { UsageError } from "../../errors.js";
import { parseMode } from "../../parse-values.js";
import type { Result } from "../../result.js";
import { each, targets } from "./shared.js";

export async function chmod(
  options: { mode: string; paths: string[]; recursive?: boolean },
  ctx: Context,
): Promise<Result> {
  let mode: string;
  try {
    mode = parseMode(options.mode);
  } catch (err) {
    throw new UsageError(`mode: ${(err as Error).message}`);
  }
  const fs = await ctx.fs();
  let count = 0;
  for (const path of options.paths) {
    count += await each(targets(fs, path, options.recursive === true, ctx.signal), (s) =>
      fs.setPermission(s.path, mode, { abortSignal: ctx.signal }),
    );
  }
  return {
    kind: "message",
    message: `Set permission ${mode} on ${count} path(s).`,
    data: { permission: mode, paths: options.paths, count },
  };
}

/** `OWNER`, `OWNER:GROUP` or `:GROUP`. */
export function parseOwner(spec: string): { owner?: string; group?: string } {
  const [owner, group, extra] = spec.split(":");
  if (extra !== undefined || (!owner && !group))
    throw new UsageError(`expected OWNER, OWNER:GROUP or :GROUP, got '${spec}'`);
  return { ...(owner ? { owner } : {}), ...(group ? { group } : {}) };
}

export async function chown(
  options: { owner: string; paths: string[]; recursive?: boolean },
  ctx: Context,
): Promise<Result> {
  const who = parseOwner(options.owner);
  const fs = await ctx.fs();
  let count = 0;
  for (const path of options.paths) {
    count += await each(targets(fs, path, options.recursive === true, ctx.signal), (s) =>
      fs.setOwner(s.path, who, { abortSignal: ctx.signal }),
    );
  }
  return {
    kind: "message",
    message: `Set ${[who.owner && `owner ${who.owner}`, who.group && `group ${who.group}`].filter(Boolean).join(" and ")} on ${count} path(s).`,
    data: { owner: who.owner ?? null, group: who.group ?? null, paths: options.paths, count },
  };
}
