/**
 * The CLI's own errors and the one mapping from any error to an exit code. Library errors are recognised
 * by shape (`code`, `status`, the `Symbol.for` marker), never by class identity, so this module imports
 * no library and stays cheap to load.
 */
import { type ErrorContext, inCliWords } from "./error-words.js";

export type { ErrorContext } from "./error-words.js";

/** Whether `err` carries the error code `code` (the shape every adlkit error and CliError has). */
export function hasCode(err: unknown, code: string): boolean {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === code;
}

export const EXIT = Object.freeze({ ok: 0, failed: 1, usage: 2, notFound: 3, interrupted: 130 });

/** The command line itself is wrong: unknown flag, missing argument, bad value. Exit code 2. */
export class UsageError extends Error {
  readonly hint: string | undefined;
  constructor(message: string, hint?: string) {
    super(message);
    this.name = "UsageError";
    this.hint = hint;
  }
}

/** A failure the CLI detected itself (no credentials, unknown profile, …), with a stable code and a hint. */
export class CliError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly exitCode: number;
  constructor(message: string, options: { code: string; hint?: string | undefined; exitCode?: number }) {
    super(message);
    this.name = "CliError";
    this.code = options.code;
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? EXIT.failed;
  }
}

/** Ends a command with an exit code and no message (e.g. `fs test` answering "no"). */
export class ExitError extends Error {
  readonly exitCode: number;
  constructor(exitCode: number) {
    super(`exit ${exitCode}`);
    this.name = "ExitError";
    this.exitCode = exitCode;
  }
}

interface ErrorShape {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  hint?: unknown;
  status?: unknown;
  requestId?: unknown;
  correlationId?: unknown;
  cause?: unknown;
}

const ADLKIT_MARKER = Symbol.for("adlkit.error");

function isAdlkitError(err: unknown): err is ErrorShape {
  return typeof err === "object" && err !== null && (err as Record<symbol, unknown>)[ADLKIT_MARKER] === true;
}

const NOT_FOUND_CODES = new Set(["PATH_NOT_FOUND", "PROFILE_NOT_FOUND", "NOT_FOUND"]);

/** The exit code for an error: 2 usage, 3 not found, 130 interrupted, 1 anything else. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof ExitError || err instanceof CliError) return err.exitCode;
  if (err instanceof UsageError) return EXIT.usage;
  const e = (err ?? {}) as ErrorShape;
  if (e.name === "AbortError" || e.code === "ABORTED" || e.code === "ABORT_ERR") return EXIT.interrupted;
  if (isAdlkitError(err)) {
    if (typeof e.code === "string" && NOT_FOUND_CODES.has(e.code)) return EXIT.notFound;
    if (e.status === 404) return EXIT.notFound;
    if (e.code === "INVALID_ARGUMENT") return EXIT.usage;
  }
  return EXIT.failed;
}

export interface DescribedError {
  code: string;
  message: string;
  hint: string | undefined;
  /** The library's own message, when `message` says it in the CLI's words (shown with --verbose and in --json). */
  detail: string | undefined;
  requestId: string | undefined;
  exitCode: number;
  /** False for errors we did not expect (a bug): those get the stack with --debug. */
  expected: boolean;
}

/**
 * What to tell the user about an error, in the CLI's words (see error-words.ts). Text is not yet redacted: the
 * caller does that.
 */
export function describeError(err: unknown, context: ErrorContext = {}): DescribedError {
  const exitCode = exitCodeFor(err);
  const e = (err ?? {}) as ErrorShape;
  const message = String(e.message ?? err);
  const expected =
    err instanceof UsageError ||
    err instanceof CliError ||
    isAdlkitError(err) ||
    exitCode !== EXIT.failed ||
    (typeof e.code === "string" && /^E[A-Z]+$/.test(e.code)); // Node system errors: ENOENT, EACCES, …
  let code = typeof e.code === "string" ? e.code : err instanceof UsageError ? "USAGE" : "ERROR";
  if (exitCode === EXIT.usage && code === "ERROR") code = "USAGE";
  if (exitCode === EXIT.interrupted) code = "INTERRUPTED";
  const own = err instanceof UsageError || err instanceof CliError || exitCode === EXIT.interrupted;
  const plain = {
    code,
    message: exitCode === EXIT.interrupted ? "interrupted" : oneLine(message),
    hint: typeof e.hint === "string" ? oneLine(e.hint) : systemHint(e),
    exitCode,
  };
  const worded = own ? plain : inCliWords(err, plain, context);
  return {
    ...worded,
    detail: worded.message === plain.message ? undefined : plain.message,
    requestId: typeof e.requestId === "string" ? e.requestId : undefined,
    expected,
  };
}

function systemHint(e: ErrorShape): string | undefined {
  switch (e.code) {
    case "ENOENT":
      return "Check the local path.";
    case "EACCES":
    case "EPERM":
      return "Check the local file's permissions.";
    case "EEXIST":
      return "Use `--overwrite` (-f) to replace it.";
    default:
      return undefined;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}
