import { mkdir } from "node:fs/promises";
import { BufferPool } from "@adlkit/bulk-io";
import { AdlkitError } from "@adlkit/core";
import { invalidArgument } from "../options.js";
import { TransferContext } from "../transfer/context.js";
import { checkTarget, copyFile } from "./copy-file.js";
import {
  type CopyEndpoint,
  childOf,
  describeSide,
  type Entry,
  nameOf,
  resolveSide,
  type Side,
  sameVersion,
  statOf,
  walk,
} from "./endpoints.js";
import {
  applyCarry,
  type Carry,
  carriesSomething,
  carryOnCreate,
  planCarry,
  readMetadata,
} from "./metadata.js";
import { type CopyOptions, PRESERVE_ITEMS, type PreserveItem, resolveCopyOptions } from "./options.js";
import { type CopyItem, type CopyReport, describeError, emptyReport, record } from "./report.js";
import { LANDING_BYTES } from "./source.js";
import { CopyState } from "./state.js";
import { combinesWrites, stagingName } from "./writers.js";

/** Everything one copy's items share. */
interface Run {
  from: Side;
  to: Side;
  ctx: TransferContext;
  settings: ReturnType<typeof resolveCopyOptions>;
  preserve: readonly PreserveItem[];
  report: CopyReport;
  state: CopyState | undefined;
  target: string;
  blocks: BufferPool;
  landings: BufferPool;
  onItem: ((item: CopyItem) => void) | undefined;
}

/**
 * Copies a file, or with `recursive` a directory tree, between any two of: a local path, a Gen1 location, a Gen2
 * location (`{ client, path }`; `openFileSystem` makes one from a URI). Remote to remote, the bytes stream through
 * this process without touching the local disk. Every file is verified before it is published (see copyFile);
 * a file that fails is reported and the others go on. Resolves to the report (it throws only for bad arguments,
 * a missing source, or an abort; the state file then stays, for `resume`).
 */
export async function copy(
  source: CopyEndpoint,
  destination: CopyEndpoint,
  options: CopyOptions = {},
): Promise<CopyReport> {
  const settings = resolveCopyOptions(options);
  const from = resolveSide(source, "source");
  const to = resolveSide(destination, "destination");
  const preserve = settings.preserve ?? (from.kind === "gen1" && to.kind === "gen2" ? PRESERVE_ITEMS : []);
  if (preserve.length > 0 && (from.kind === "local" || to.kind === "local"))
    throw invalidArgument(
      "preserve",
      `applies only between two remote locations (a local file has no Entra ACL or owner to carry): preserve "none"`,
    );
  const report = emptyReport(describeSide(from), describeSide(to), settings.dryRun);
  report.preserve = [...preserve];
  const ctx = new TransferContext({
    concurrency: settings.concurrency,
    stallTimeoutInMs: settings.stallTimeoutInMs,
    abortSignal: options.abortSignal,
    onProgress: options.onProgress,
  });
  let state: CopyState | undefined;
  try {
    const root = await statOf(from, from.root, ctx.signal);
    if (!root)
      throw new AdlkitError(`copy failed: the source ${report.source} does not exist`, {
        code: "PATH_NOT_FOUND",
        hint: "Check the source path.",
      });
    if (root.type === "DIRECTORY" && !settings.recursive)
      throw invalidArgument("recursive", `${report.source} is a directory: copy it with recursive (-R)`);
    let target = await targetOf(from, to, root, ctx.signal);
    if (!settings.dryRun) {
      const file = settings.stateFile ?? CopyState.defaultPath(report.source, report.destination);
      state = await CopyState.open(
        file,
        { source: report.source, destination: report.destination, target },
        settings.resume,
      );
      target = state.header.target;
      report.stateFile = file;
    }
    // One block buffer per request in flight, reused: memory does not grow with the size of files or trees.
    report.target = target;
    const blocks = new BufferPool(settings.blockSize, settings.concurrency, false);
    const landings = new BufferPool(LANDING_BYTES, settings.concurrency, false);
    const run: Run = {
      from,
      to,
      ctx,
      settings,
      preserve,
      report,
      state,
      target,
      blocks,
      landings,
      onItem: options.onItem,
    };
    if (root.type === "FILE") await copyOneFile(run, { ...root, rel: "" });
    else await copyTree(run, root);
    ctx.throwIfAborted();
    if (state && report.failed === 0) {
      await state.remove();
      report.stateFile = undefined;
    }
    return report;
  } finally {
    await state?.close();
    ctx.dispose();
  }
}

/** As `cp`: into an existing directory, the source keeps its name; otherwise the destination is the new name. */
async function targetOf(from: Side, to: Side, root: Entry, signal: AbortSignal): Promise<string> {
  const there = await statOf(to, to.root, signal);
  // The root of a filesystem or account has no name: its contents land in the directory itself.
  if (there?.type === "DIRECTORY") return childOf(to, to.root, nameOf(from, root.path));
  if (there?.type === "FILE" && root.type === "DIRECTORY")
    throw invalidArgument(
      "destination",
      `${describeSide(to)} is a file; a directory cannot be copied onto it`,
    );
  return to.root;
}

async function copyTree(run: Run, root: Entry): Promise<void> {
  const { from, to, ctx, settings } = run;
  const directories: Array<Entry & { rel: string }> = [{ ...root, rel: "" }];
  if (!settings.dryRun) await makeDirectory(to, run.target, ctx.signal);
  const running = new Set<Promise<void>>();
  // Only an abort rejects a file's copy (failures go to the report): the first one stops the walk.
  let stopped: unknown;
  for await (const entry of walk(from, root.path, ctx.signal)) {
    if (stopped !== undefined || ctx.signal.aborted) break;
    ctx.touch(); // a walk through many directories moves no bytes, yet is progress for the stall watchdog
    if (entry.type === "OTHER") {
      record(
        run.report,
        {
          path: entry.rel,
          type: "FILE",
          bytes: 0,
          outcome: "failed",
          error: {
            code: "NOT_A_FILE",
            message: `${entry.path} is a link or special file: links are not followed`,
          },
        },
        run.onItem,
      );
      continue;
    }
    if (entry.type === "DIRECTORY") {
      if (!settings.dryRun) await makeDirectory(to, childOf(to, run.target, entry.rel), ctx.signal);
      directories.push(entry);
      continue;
    }
    const task: Promise<void> = copyOneFile(run, entry)
      .catch((err: unknown) => {
        stopped ??= err;
      })
      .finally(() => running.delete(task));
    running.add(task);
    if (running.size >= settings.concurrency) await Promise.race(running);
  }
  await Promise.all(running);
  if (stopped !== undefined) throw stopped;
  ctx.throwIfAborted();
  // Directories last: their ACLs and permissions might otherwise keep this copy from writing inside them.
  for (const dir of directories.reverse()) {
    ctx.throwIfAborted();
    await copyDirectoryMetadata(run, dir);
    ctx.touch();
  }
}

async function makeDirectory(side: Side, p: string, signal: AbortSignal): Promise<void> {
  if (side.kind === "local") await mkdir(p, { recursive: true });
  else await side.backend.mkdirs(p, { abortSignal: signal });
}

async function copyDirectoryMetadata(run: Run, dir: Entry & { rel: string }): Promise<void> {
  const item: CopyItem = { path: dir.rel, type: "DIRECTORY", bytes: 0, outcome: "copied" };
  try {
    if (run.state?.dirs.has(dir.rel)) item.outcome = "skipped";
    else {
      const carry = await carryFor(run, dir);
      item.notCarried = carry?.notCarried;
      if (run.settings.dryRun) item.outcome = "planned";
      else {
        if (carry && run.to.kind !== "local")
          await applyCarry(run.to, childOf(run.to, run.target, dir.rel), carry, {
            abortSignal: run.ctx.signal,
          });
        await run.state?.dir(dir.rel);
      }
      if (carry && carriesSomething(carry)) run.report.acls.carried++;
    }
  } catch (err) {
    if (run.ctx.signal.aborted) throw run.ctx.abortError();
    item.outcome = "failed";
    item.error = describeError(err);
  }
  record(run.report, item, run.onItem);
}

async function carryFor(run: Run, entry: Entry): Promise<Carry | undefined> {
  if (run.preserve.length === 0 || run.from.kind === "local") return undefined;
  const meta = await readMetadata(run.from, entry, { abortSignal: run.ctx.signal });
  return planCarry(meta, run.preserve, run.from, run.to);
}

async function copyOneFile(run: Run, entry: Entry & { rel: string }): Promise<void> {
  const { from, to, ctx, settings, state } = run;
  const target = childOf(to, run.target, entry.rel);
  const item: CopyItem = { path: entry.rel, type: "FILE", bytes: entry.length, outcome: "copied" };
  try {
    const done = state?.files.get(entry.rel);
    let overwrite = settings.overwrite;
    if (done) {
      const there = await statOf(to, target, ctx.signal);
      const unchanged = sameVersion(from, done, entry);
      const staged =
        done.st === "verified"
          ? await statOf(to, stagingName(target, state?.header.runId ?? ""), ctx.signal)
          : undefined;
      if (unchanged && there?.type === "FILE" && there.length === done.length && !staged) {
        ctx.addFile(entry.length);
        ctx.addBytes(entry.length);
        ctx.fileDone();
        item.outcome = "skipped";
        item.sha256 = done.sha256;
        record(run.report, item, run.onItem);
        return;
      }
      // The copy there is this copy's own (recorded), of an older version of the source: replace it.
      overwrite ||= there?.type === "FILE";
    }
    const carry = await carryFor(run, entry);
    item.notCarried = carry?.notCarried;
    if (settings.dryRun) {
      // What the copy would meet: a file in the way is reported as the failure it would be.
      await checkTarget(to, target, overwrite, ctx.signal);
      item.outcome = "planned";
    } else {
      const createWith = carry && combinesWrites(to) ? carryOnCreate(carry) : undefined;
      item.sha256 = await copyFile({
        source: from,
        destination: to,
        entry,
        target,
        staging: stagingName(target, state?.header.runId ?? ""),
        chunkSize: settings.chunkSize,
        blockSize: settings.blockSize,
        blocks: run.blocks,
        landings: run.landings,
        overwrite,
        ctx,
        createWith,
        beforePublish:
          carry && !createWith && to.kind !== "local"
            ? (staging) => applyCarry(to, staging, carry, { abortSignal: ctx.signal })
            : undefined,
        onVerified: (sha256) =>
          state?.file({ f: entry.rel, st: "verified", ...versionOf(entry), sha256 }) ?? Promise.resolve(),
        resumeFrom: resumable(run, entry),
        onCommitted: state
          ? (committed, first, sha256) =>
              state.progress({
                f: entry.rel,
                st: "partial",
                ...versionOf(entry),
                chunkSize: settings.chunkSize,
                committed,
                first,
                sha256,
              })
          : undefined,
      });
      await state?.file({ f: entry.rel, st: "done", ...versionOf(entry), sha256: item.sha256 });
    }
    if (carry && carriesSomething(carry)) run.report.acls.carried++;
  } catch (err) {
    if (ctx.signal.aborted) throw ctx.abortError();
    item.outcome = "failed";
    item.error = describeError(err);
  }
  record(run.report, item, run.onItem);
}

/** What a killed run committed of this file, if it is of this version of the source, in ranges of this size. */
function resumable(run: Run, entry: Entry & { rel: string }) {
  const partial = run.state?.partial.get(entry.rel);
  return partial?.chunkSize === run.settings.chunkSize && sameVersion(run.from, partial, entry)
    ? partial
    : undefined;
}

function versionOf(entry: Entry) {
  return { length: entry.length, modificationTime: entry.modificationTime, etag: entry.etag };
}
