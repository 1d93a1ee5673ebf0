const MARKER = Symbol.for("adlkit.error");

export interface AdlkitErrorOptions {
  /** Stable, machine-readable code, e.g. `PATH_NOT_FOUND`. */
  code: string;
  /** What the user can do about it. */
  hint?: string | undefined;
  cause?: unknown;
}

/**
 * Base of every adlkit error. `isInstance` checks a `Symbol.for` marker instead of the prototype chain, so it
 * still works when independent versioning leaves two copies of this package installed.
 */
export class AdlkitError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly [MARKER] = true;

  constructor(message: string, options: AdlkitErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AdlkitError";
    this.code = options.code;
    this.hint = options.hint;
  }

  static isInstance(value: unknown): value is AdlkitError {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
  }
}
