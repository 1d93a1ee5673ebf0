import { stat as localStat } from "node:fs/promises";
import nodePath from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { TransferOptions, TransferResult } from "@adlkit/fs-client";
import type { Context } from "../../context.js";
import { CliError, UsageError } from "../../errors.js";
import { formatBytes } from "../../output/human.js";
import type { Field, Result } from "../../result.js";
import { streamToStdout } from "./read.js";
import { tryStat } from "./shared.js";

interface Options {
  threads?: number;
  chunkSize?: number;
  overwrite?: boolean;
  resume?: boolean;
}

const FIELDS: Field[] = [
  { label: "source", get: (d) => d.source },
  { label: "destination", get: (d) => d.destination },
  { label: "files", get: (d) => d.files },
  { label: "bytes", get: (d) => `${d.bytes} (${formatBytes(d.bytes as number)})` },
  { label: "resumed bytes", get: (d) => d.resumedBytes },
  { label: "skipped files", get: (d) => d.skippedFiles },
  { label: "seconds", get: (d) => d.seconds },
];

function transferOptions(
  options: Options,
  ctx: Context,
  label: string,
): { settings: TransferOptions; stop: () => void } {
  const bar = ctx.progress.transfer(label);
  return {
    settings: {
      abortSignal: ctx.signal,
      overwrite: options.overwrite === true,
      resume: options.resume === true,
      // Ctrl-C keeps the finished parts and the state file, so `--resume` can pick up from there.
      keepPartialOnAbort: true,
      // In a tree, --resume also leaves alone the files an interrupted run had finished.
      skipCompleted: options.resume === true,
      ...(options.threads ? { concurrency: options.threads } : {}),
      ...(options.chunkSize ? { chunkSize: options.chunkSize } : {}),
      onProgress: (p) => bar.update(p),
    },
    stop: () => bar.stop(),
  };
}

function summary(
  source: string,
  destination: string,
  result: TransferResult,
  started: number,
): Record<string, unknown> {
  return {
    kind: result.kind,
    source,
    destination,
    files: result.kind === "tree" ? result.files : 1,
    directories: result.kind === "tree" ? result.directories : 0,
    bytes: result.bytes,
    resumedBytes: result.resumedBytes,
    skippedFiles: result.kind === "tree" ? result.skippedFiles : 0,
    // Files whose earlier, interrupted upload was discarded rather than continued.
    startedOverFiles: result.kind === "tree" ? (result.startedOverFiles ?? 0) : result.startedOver ? 1 : 0,
    ...(result.kind === "file" && result.sha256 ? { sha256: result.sha256 } : {}),
    seconds: Math.round((Date.now() - started) / 100) / 10,
  };
}

/** After Ctrl-C: the bar is stopped first, so its last redraw cannot land on top of the note. */
function interruptedHint(err: unknown, ctx: Context, stopBar: () => void): never {
  stopBar();
  if (ctx.signal.aborted)
    ctx.note("Interrupted: run the same command with --resume to continue where it stopped.");
  throw err;
}

/** What a finished put or get shows: a one-line message, and the summary with -v or --json. */
function finished(
  done: "Uploaded" | "Downloaded",
  source: string,
  target: string,
  result: TransferResult,
  started: number,
): Result {
  return {
    kind: "record",
    data: summary(source, target, result, started),
    fields: FIELDS,
    detail: true,
    message: `${done} ${formatBytes(result.bytes)} to ${target}.`,
  };
}

/** One put or get with its progress bar, and the --resume note when Ctrl-C stops it. */
async function runTransfer(
  options: Options & { directIo?: boolean },
  ctx: Context,
  label: string,
  transfer: (settings: TransferOptions) => Promise<TransferResult>,
): Promise<TransferResult> {
  const { settings, stop } = transferOptions(options, ctx, label);
  try {
    return await transfer({ ...settings, directIo: options.directIo === false ? false : "auto" });
  } catch (err) {
    interruptedHint(err, ctx, stop);
  } finally {
    stop();
  }
}

/** Uploads that found an earlier, interrupted upload and did not continue it (no --resume): say what happened. */
function startedOverNote(result: TransferResult, ctx: Context): void {
  const count = result.kind === "tree" ? (result.startedOverFiles ?? 0) : result.startedOver ? 1 : 0;
  if (count === 0) return;
  const what = result.kind === "tree" ? `${count} file(s) had` : `${result.path} had`;
  ctx.note(
    `Started over: an earlier upload of ${what} been interrupted; the parts it left on the server were deleted (--resume continues such an upload instead).`,
  );
}

/** Counts bytes flowing from stdin, for the spinner. */
function counter(onBytes: (total: number) => void): Transform {
  let total = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      total += chunk.byteLength;
      onBytes(total);
      callback(null, chunk);
    },
  });
}

export async function put(
  options: Options & { local: string; remote: string; directIo?: boolean },
  ctx: Context,
): Promise<Result> {
  const target = await ctx.fsAt(options.remote);
  const fs = target.client;
  const started = Date.now();
  if (options.local === "-") {
    if (options.resume) throw new UsageError("--resume does not apply to stdin");
    const spinner = ctx.progress.spinner(`Uploading stdin to ${options.remote}`);
    let bytes = 0;
    try {
      await pipeline(
        ctx.stdin,
        counter((n) => {
          bytes = n;
          spinner.update(`Uploading stdin to ${options.remote} (${formatBytes(n)})`);
        }),
        fs.createWriteStream(target.path, {
          overwrite: options.overwrite === true,
          abortSignal: ctx.signal,
        }),
      );
    } finally {
      spinner.stop();
    }
    const data = {
      kind: "file",
      source: "-",
      destination: options.remote,
      files: 1,
      directories: 0,
      bytes,
      resumedBytes: 0,
      skippedFiles: 0,
      seconds: Math.round((Date.now() - started) / 100) / 10,
    };
    return {
      kind: "record",
      data,
      fields: FIELDS,
      detail: true,
      message: `Uploaded ${formatBytes(bytes)} from stdin to ${options.remote}.`,
    };
  }
  const local = nodePath.resolve(ctx.cwd, options.local);
  await localStat(local).catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT")
      throw new CliError(`no local file or directory ${options.local}`, {
        code: "LOCAL_NOT_FOUND",
        exitCode: 3,
      });
    throw err;
  });
  // Like `hdfs dfs -put` and `cp`: into an existing directory (or a path ending in /), keep the source's name.
  const intoDirectory = options.remote.endsWith("/");
  let remote = target.path;
  const existing = intoDirectory ? undefined : await tryStat(fs, remote, ctx.signal);
  if (intoDirectory || existing?.type === "DIRECTORY") {
    const nested = `${remote.replace(/\/+$/, "")}/${nodePath.basename(local)}`;
    // --resume of a tree continues the earlier run: if that run created `remote` itself (no `remote/NAME`
    // inside it), it goes on there rather than into a new `remote/NAME`.
    const continues =
      options.resume === true &&
      existing?.type === "DIRECTORY" &&
      (await localStat(local)).isDirectory() &&
      !(await tryStat(fs, nested, ctx.signal));
    if (!continues) remote = nested;
  }
  const result = await runTransfer(options, ctx, "Uploading", (settings) => fs.put(local, remote, settings));
  startedOverNote(result, ctx);
  return finished("Uploaded", options.local, target.show(remote), result, started);
}

export async function get(
  options: Options & { remote: string; local?: string; directIo?: boolean },
  ctx: Context,
): Promise<Result> {
  if (options.local === "-") {
    if (ctx.globals.json)
      throw new UsageError("--json does not apply to `adl fs get … -`: the file's bytes go to stdout");
    await streamToStdout(await ctx.fsAt(options.remote), ctx);
    return { kind: "raw" };
  }
  const target = await ctx.fsAt(options.remote);
  const fs = target.client;
  const started = Date.now();
  const name = nodePath.posix.basename(target.path.replace(/\/+$/, "")) || "root";
  let local = nodePath.resolve(ctx.cwd, options.local ?? name);
  const existing = await localStat(local).catch(() => undefined);
  if (options.local !== undefined && (existing?.isDirectory() || options.local.endsWith("/"))) {
    const remoteStatus = await fs.stat(target.path, { abortSignal: ctx.signal });
    const nested = nodePath.join(local, name);
    // As for put: --resume of a tree goes on in the directory an earlier run created.
    const continues =
      options.resume === true &&
      remoteStatus.type === "DIRECTORY" &&
      existing?.isDirectory() === true &&
      !(await localStat(nested).catch(() => undefined));
    if ((remoteStatus.type === "FILE" || existing) && !continues) local = nested;
  }
  const result = await runTransfer(options, ctx, "Downloading", (settings) =>
    fs.get(target.path, local, settings),
  );
  return finished("Downloaded", options.remote, local, result, started);
}
