import { AdlkitError } from "@adlkit/core";

/** One file or directory of a copy, as it is copied, skipped, planned (dry run) or fails. */
export interface CopyItem {
  /** Path relative to the copy's root (`""` for a single file or the root directory). */
  path: string;
  type: "FILE" | "DIRECTORY";
  bytes: number;
  outcome: "copied" | "skipped" | "planned" | "failed";
  /** Files: the SHA-256 of each range (one range: the whole file's), as read and as read back. */
  sha256?: string[] | undefined;
  /** Failed: the error's code (`SOURCE_CHANGED`, `PATH_EXISTS`, ...) and message. */
  error?: { code: string; message: string } | undefined;
  /** ACL entries (or owner, group, expiry) that are not carried to the destination, with the reason. */
  notCarried?: NotCarried[] | undefined;
}

export interface NotCarried {
  /** The ACL entry, or `owner`, `group`, `expiry`. */
  entry: string;
  reason: string;
}

/** What a copy did (or, dry run, would do). */
export interface CopyReport {
  source: string;
  destination: string;
  /**
   * Where the source landed, as a path on the destination's side: the destination itself, or (into an existing
   * directory, as with `cp`) the source's name inside it.
   */
  target: string;
  dryRun: boolean;
  /** Files copied (dry run: that would be copied), skipped included. */
  files: number;
  directories: number;
  /** Bytes of those files. */
  bytes: number;
  /** Files a resumed copy found finished and verified by an earlier run, not copied again. */
  skipped: number;
  failed: number;
  acls: {
    /** Files and directories whose ACL, owner or permissions were carried (dry run: would be). */
    carried: number;
    /** Entries (or owner/group/expiry values) that could not be carried. */
    notCarried: number;
  };
  /** The first failures (all of them are counted in `failed`). */
  failures: Array<{ path: string; code: string; message: string }>;
  /** The first entries not carried (all of them are counted in `acls.notCarried`). */
  notCarried: Array<NotCarried & { path: string }>;
  /** What was preserved. */
  preserve: string[];
  /** The state file of this copy (kept while anything is unfinished, for `resume`). */
  stateFile?: string | undefined;
}

/** Lists in the report keep this many details; counts are always complete. */
export const REPORT_DETAILS = 100;

export function emptyReport(source: string, destination: string, dryRun: boolean): CopyReport {
  return {
    source,
    destination,
    target: "",
    dryRun,
    files: 0,
    directories: 0,
    bytes: 0,
    skipped: 0,
    failed: 0,
    acls: { carried: 0, notCarried: 0 },
    failures: [],
    notCarried: [],
    preserve: [],
  };
}

/** Adds one item to the report (and tells the caller's `onItem`). */
export function record(report: CopyReport, item: CopyItem, onItem?: (item: CopyItem) => void): void {
  if (item.outcome === "failed") {
    report.failed++;
    if (report.failures.length < REPORT_DETAILS)
      report.failures.push({
        path: item.path,
        code: item.error?.code ?? "ERROR",
        message: item.error?.message ?? "",
      });
  } else if (item.type === "DIRECTORY") report.directories++;
  else {
    report.files++;
    report.bytes += item.bytes;
    if (item.outcome === "skipped") report.skipped++;
  }
  for (const missing of item.notCarried ?? []) {
    report.acls.notCarried++;
    if (report.notCarried.length < REPORT_DETAILS) report.notCarried.push({ path: item.path, ...missing });
  }
  onItem?.(item);
}

/** An error as a report shows it: its code and message (the message never holds a secret: see core's errors). */
export function describeError(err: unknown): { code: string; message: string } {
  if (err instanceof AdlkitError) return { code: err.code, message: err.message };
  if (err instanceof Error) return { code: (err as { code?: string }).code ?? "ERROR", message: err.message };
  return { code: "ERROR", message: String(err) };
}
