import type { Context } from "../../context.js";
import { UsageError } from "../../errors.js";
import type { Result } from "../../result.js";
import { iso } from "./shared.js";

export async function set(
  options: { path: string; at?: number; in?: number; afterCreation?: number },
  ctx: Context,
): Promise<Result> {
  const given = [options.at, options.in, options.afterCreation].filter((v) => v !== undefined);
  if (given.length !== 1) throw new UsageError("pass exactly one of --at, --in and --after-creation");
  const fs = await ctx.fs();
  const signal = { abortSignal: ctx.signal };
  if (options.at !== undefined) await fs.setExpiry(options.path, "Absolute", options.at, signal);
  else if (options.in !== undefined) await fs.setExpiry(options.path, "RelativeToNow", options.in, signal);
  else await fs.setExpiry(options.path, "RelativeToCreationDate", options.afterCreation, signal);
  const status = await fs.stat(options.path, signal);
  const expiresAt = iso(status.msExpirationTime) ?? null;
  return {
    kind: "message",
    message: `${options.path} expires at ${expiresAt ?? "(never)"}.`,
    data: { path: options.path, expiresAt },
  };
}

export async function remove(options: { path: string }, ctx: Context): Promise<Result> {
  const fs = await ctx.fs();
  await fs.setExpiry(options.path, "NeverExpire", undefined, { abortSignal: ctx.signal });
  return {
    kind: "message",
    message: `${options.path} never expires now.`,
    data: { path: options.path, expiresAt: null },
  };
}
