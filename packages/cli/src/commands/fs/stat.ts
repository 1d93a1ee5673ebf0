import type { Context } from "../../context.js";
import { UsageError } from "../../errors.js";
import type { Result } from "../../result.js";
import { STATUS_FIELDS, tryStat } from "./shared.js";

export async function stat(options: { path: string }, ctx: Context): Promise<Result> {
  const target = await ctx.fsAt(options.path);
  const status = await target.client.stat(target.path, { abortSignal: ctx.signal });
  // Gen2's status carries no expiry: a file's is read from its properties, when the caller may read them.
  if (target.protocol === "gen2" && status.type === "FILE") {
    try {
      status.msExpirationTime = await target.client.getExpiry(target.path, { abortSignal: ctx.signal });
    } catch (err) {
      if ((err as { code?: unknown }).code !== "ACCESS_DENIED") throw err;
    }
  }
  return { kind: "record", data: status as unknown as Record<string, unknown>, fields: STATUS_FIELDS };
}

type Test = "exists" | "directory" | "file" | "zero";

/** `adl fs test`: exit 0 when the test holds and 1 when not, like `test(1)` and `hdfs dfs -test`. */
export async function test(
  options: { path: string; exists?: boolean; directory?: boolean; file?: boolean; zero?: boolean },
  ctx: Context,
): Promise<Result> {
  const chosen = (["exists", "directory", "file", "zero"] as const).filter((t) => options[t]);
  if (chosen.length > 1) throw new UsageError("pass only one of -e, -d, -f and -z");
  const which: Test = chosen[0] ?? "exists";
  const { client: fs, path } = await ctx.fsAt(options.path);
  const status = await tryStat(fs, path, ctx.signal);
  const holds =
    which === "exists"
      ? status !== undefined
      : which === "directory"
        ? status?.type === "DIRECTORY"
        : which === "file"
          ? status?.type === "FILE"
          : status?.type === "FILE" && status.length === 0;
  return {
    kind: "message",
    message: "",
    data: { path: options.path, test: which, result: holds },
    exitCode: holds ? 0 : 1,
  };
}
