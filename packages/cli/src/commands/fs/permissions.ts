import type { Context } from "../../context.js";
import { UsageError } from "../../errors.js";
import type { Result } from "../../result.js";
import { applyMode, type ModeChange, parseModeChange } from "./mode.js";
import { each, targets } from "./shared.js";

/**
 * `adl fs chmod MODE PATH...`: an octal mode is set as it is; a symbolic one (`g-w`, `a+rX`) is applied to each
 * path's current permission, which its status (GETFILESTATUS, or the listing with -R) gives.
 */
export async function chmod(
  options: { mode: string; paths: string[]; recursive?: boolean },
  ctx: Context,
): Promise<Result> {
  let change: ModeChange;
  try {
    change = parseModeChange(options.mode);
  } catch (err) {
    throw new UsageError(`mode: ${(err as Error).message}`, "Run `adl fs chmod --help` for the forms.");
  }
  const results = new Set<string>();
  let count = 0;
  for (const location of options.paths) {
    const { client: fs, path } = await ctx.fsAt(location);
    count += await each(targets(fs, path, options.recursive === true, ctx.signal), async (s) => {
      const permission = applyMode(change, s.permission, s.type === "DIRECTORY");
      results.add(permission);
      await fs.setPermission(s.path, permission, { abortSignal: ctx.signal });
    });
  }
  // One permission for all (always so for an octal mode), or null when a symbolic mode gave several.
  const permission = results.size === 1 ? [...results][0]! : null;
  const paths = `${count} path${count === 1 ? "" : "s"}`;
  return {
    kind: "message",
    message:
      change.kind === "octal" || permission === null
        ? `Set permission ${change.kind === "octal" ? change.permission : options.mode} on ${paths}.`
        : `Set permission ${permission} (${options.mode}) on ${paths}.`,
    data: { mode: options.mode, permission, paths: options.paths, count },
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
  let count = 0;
  for (const location of options.paths) {
    const { client: fs, path } = await ctx.fsAt(location);
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
