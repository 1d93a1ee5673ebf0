import { pipeline } from "node:stream/promises";
import type { Context } from "../../context.js";
import type { Result } from "../../result.js";

/** `adl fs cat`: each file streamed to stdout in turn, with back-pressure (memory stays flat). */
export async function cat(options: { paths: string[] }, ctx: Context): Promise<Result> {
  const fs = await ctx.fs();
  for (const path of options.paths) {
    await pipeline(fs.createReadStream(path, { abortSignal: ctx.signal }), ctx.stdout, { end: false });
  }
  return { kind: "raw" };
}

export async function head(options: { path: string; bytes: number }, ctx: Context): Promise<Result> {
  const fs = await ctx.fs();
  ctx.stdout.write(await fs.head(options.path, options.bytes, { abortSignal: ctx.signal }));
  return { kind: "raw" };
}

export async function tail(options: { path: string; bytes: number }, ctx: Context): Promise<Result> {
  const fs = await ctx.fs();
  ctx.stdout.write(await fs.tail(options.path, options.bytes, { abortSignal: ctx.signal }));
  return { kind: "raw" };
}
