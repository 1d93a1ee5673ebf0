import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Context, FsTarget } from "../../context.js";
import { CliError } from "../../errors.js";
import type { Result } from "../../result.js";

/**
 * Fails when the target is a directory. Reading a directory yields no bytes, so this is asked only after a read
 * came back empty: a file read costs no extra request, and an empty directory never passes for an empty file.
 */
export async function refuseDirectory(target: FsTarget, signal: AbortSignal): Promise<void> {
  const status = await target.client.stat(target.path, { abortSignal: signal });
  if (status.type === "DIRECTORY") throw isADirectory(target);
}

function isADirectory(target: FsTarget): CliError {
  const shown = target.show(target.path);
  return new CliError(`${shown} is a directory`, {
    code: "IS_A_DIRECTORY",
    hint: `List it with \`adl fs ls ${shown}\`, or copy it with \`adl fs get ${shown} DIR\`.`,
  });
}

/** Streams a remote file to stdout (back-pressured, so memory stays flat); directories are refused. */
export async function streamToStdout(target: FsTarget, ctx: Context): Promise<void> {
  let bytes = 0;
  const count = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.byteLength;
      callback(null, chunk);
    },
  });
  try {
    await pipeline(
      target.client.createReadStream(target.path, { abortSignal: ctx.signal }),
      count,
      ctx.stdout,
      {
        end: false,
      },
    );
  } catch (err) {
    // A whole-file read of a directory may fail (Gen1's OPEN refuses one) rather than come back empty: say so
    // the same way. Any other failure is the read's own.
    if (bytes === 0 && !ctx.signal.aborted && (await isDirectory(target, ctx.signal)))
      throw isADirectory(target);
    throw err;
  }
  if (bytes === 0) await refuseDirectory(target, ctx.signal);
}

async function isDirectory(target: FsTarget, signal: AbortSignal): Promise<boolean> {
  const status = await target.client.stat(target.path, { abortSignal: signal }).catch(() => undefined);
  return status?.type === "DIRECTORY";
}

/** `adl fs cat`: each file streamed to stdout in turn. */
export async function cat(options: { paths: string[] }, ctx: Context): Promise<Result> {
  for (const location of options.paths) await streamToStdout(await ctx.fsAt(location), ctx);
  return { kind: "raw" };
}

export async function head(options: { path: string; bytes: number }, ctx: Context): Promise<Result> {
  return writeEnd("head", options, ctx);
}

export async function tail(options: { path: string; bytes: number }, ctx: Context): Promise<Result> {
  return writeEnd("tail", options, ctx);
}

/** `adl fs head` and `tail`: the first or last bytes of a file to stdout; a directory is refused, not shown empty. */
async function writeEnd(
  end: "head" | "tail",
  options: { path: string; bytes: number },
  ctx: Context,
): Promise<Result> {
  const target = await ctx.fsAt(options.path);
  const bytes = await target.client[end](target.path, options.bytes, { abortSignal: ctx.signal });
  if (bytes.byteLength === 0) await refuseDirectory(target, ctx.signal);
  ctx.stdout.write(bytes);
  return { kind: "raw" };
}
