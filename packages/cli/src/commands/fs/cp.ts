import { createHash } from "node:crypto";
import nodePath from "node:path";
import type { CopyItem, CopyOptions, CopyReport } from "@adlkit/fs-client";
import type { Context, FsTarget } from "../../context.js";
import { EXIT, UsageError } from "../../errors.js";
import { formatBytes } from "../../output/human.js";
import type { Field, Result } from "../../result.js";

interface Options {
  src: string;
  dst: string;
  recursive?: boolean;
  overwrite?: boolean;
  resume?: boolean;
  dryRun?: boolean;
  preserve?: string;
  threads?: number;
  chunkSize?: number;
}

const FIELDS: Field[] = [
  { label: "source", get: (d) => d.source },
  { label: "destination", get: (d) => d.destination },
  { label: "target", get: (d) => d.target },
  { label: "files", get: (d) => d.files },
  { label: "directories", get: (d) => d.directories },
  { label: "bytes", get: (d) => `${d.bytes} (${formatBytes(d.bytes as number)})` },
  { label: "skipped (done before)", get: (d) => d.skipped },
  { label: "failed", get: (d) => d.failed },
  { label: "preserved", get: (d) => (d.preserve as string[]).join(",") || "none" },
  { label: "ACLs carried", get: (d) => (d.acls as CopyReport["acls"]).carried },
  { label: "not carried", get: (d) => (d.acls as CopyReport["acls"]).notCarried },
  { label: "state file", get: (d) => d.stateFile ?? "-" },
];

/** `--preserve acl,owner,permissions` or `none`, as the library takes it (it checks the words). */
function preserveOf(text: string | undefined): CopyOptions["preserve"] {
  if (text === undefined) return undefined;
  const words = text
    .split(",")
    .map((w) => w.trim())
    .filter(Boolean);
  if (words.length === 0)
    throw new UsageError("--preserve needs acl, owner, permissions (comma-separated) or none");
  if (words.includes("none")) {
    if (words.length > 1) throw new UsageError("--preserve none cannot be combined with other items");
    return "none";
  }
  return words as CopyOptions["preserve"];
}

/** One state file per pair of locations, in adl's config directory, so `--resume` finds the earlier run's. */
/** Either side of a copy: a local path, or a remote location as `ctx.fsAt` opens it (written as the user wrote it). */
type CopySide = { kind: "local"; path: string } | { kind: "remote"; at: FsTarget; text: string };

/** A location URI is remote (opened through the command's one location resolver); anything else is a local path. */
async function sideOf(text: string, ctx: Context): Promise<CopySide> {
  const { isLocationUri } = await import("@adlkit/fs-client");
  if (!isLocationUri(text)) return { kind: "local", path: nodePath.resolve(ctx.cwd, text) };
  return { kind: "remote", at: await ctx.fsAt(text), text };
}

function stateFileFor(ctx: Context, from: CopySide, to: CopySide): string {
  const key = (l: CopySide) => (l.kind === "local" ? l.path : l.text);
  const hash = createHash("sha256")
    .update(`${key(from)}\n${key(to)}`)
    .digest("hex")
    .slice(0, 32);
  return nodePath.join(ctx.configDir, "copies", `${hash}.jsonl`);
}

/** Where the copy landed, written as the destination was: a local path, or a URI with the target's path. */
function targetText(to: CopySide, target: string): string {
  return to.kind === "local" ? target : to.at.show(target);
}

/** A dry run's line per item (stdout, humans), with what cannot be carried and why. */
function planLine(item: CopyItem): string {
  const size = item.type === "FILE" ? formatBytes(item.bytes) : "-";
  const lines = [`${item.path || "."}\t${item.type === "FILE" ? "file" : "dir"}\t${size}`];
  if (item.outcome === "failed") lines.push(`  would fail: ${item.error?.message ?? "unknown error"}`);
  for (const n of item.notCarried ?? []) lines.push(`  not carried: ${n.entry}: ${n.reason}`);
  return `${lines.join("\n")}\n`;
}

export async function cp(options: Options, ctx: Context): Promise<Result> {
  const preserve = preserveOf(options.preserve);
  // Remote clients belong to the command's context, which closes them at its end.
  const from = await sideOf(options.src, ctx);
  const to = await sideOf(options.dst, ctx);
  return run(options, ctx, preserve, from, to);
}

async function run(
  options: Options,
  ctx: Context,
  preserve: CopyOptions["preserve"],
  from: CopySide,
  to: CopySide,
): Promise<Result> {
  const endpoint = (l: CopySide) => (l.kind === "local" ? l.path : { client: l.at.client, path: l.at.path });
  const bar = options.dryRun ? undefined : ctx.progress.transfer("Copying");
  const items: CopyItem[] = [];
  const started = Date.now();
  try {
    const { copy } = await import("@adlkit/fs-client");
    const report = await copy(endpoint(from), endpoint(to), {
      abortSignal: ctx.signal,
      recursive: options.recursive === true,
      overwrite: options.overwrite === true,
      resume: options.resume === true,
      dryRun: options.dryRun === true,
      preserve,
      stateFile: stateFileFor(ctx, from, to),
      ...(options.threads ? { concurrency: options.threads } : {}),
      ...(options.chunkSize ? { chunkSize: options.chunkSize } : {}),
      onProgress: (p) => bar?.update(p),
      onItem: (item) => {
        if (options.dryRun) {
          if (ctx.globals.json) items.push(item);
          else ctx.stdout.write(planLine(item));
        } else if (item.outcome === "failed")
          ctx.note(`failed: ${item.path || options.src}: ${item.error?.message ?? "unknown error"}`);
      },
    });
    bar?.stop();
    const seconds = Math.round((Date.now() - started) / 100) / 10;
    // The locations as the user wrote them (a URI, or the local path), not the service URLs.
    const data = {
      ...report,
      source: from.kind === "local" ? from.path : from.text,
      destination: to.kind === "local" ? to.path : to.text,
      target: targetText(to, report.target),
      seconds,
      ...(options.dryRun ? { items } : {}),
    };
    const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
    const what = `${plural(report.files, "file", "files")}, ${formatBytes(report.bytes)}`;
    const message = report.dryRun
      ? `Dry run: would copy ${what} and ${plural(report.directories, "directory", "directories")}${report.failed ? `; ${report.failed} would fail` : ""}; nothing was copied.`
      : report.failed > 0
        ? `Copied ${what}; ${report.failed} failed: run the same command with --resume to retry them.`
        : `Copied ${what} to ${data.target}${report.skipped ? ` (${report.skipped} done before)` : ""}.`;
    return {
      kind: "record",
      data,
      fields: FIELDS,
      message,
      exitCode: report.failed > 0 ? EXIT.failed : EXIT.ok,
    };
  } catch (err) {
    bar?.stop();
    if (ctx.signal.aborted)
      ctx.note("Interrupted: run the same command with --resume to continue where it stopped.");
    throw err;
  }
}
