import { errorIdentity } from "./error-identity.js";

export interface AdlkitErrorOptions {
  /** Stable, machine-readable code, e.g. `PATH_NOT_FOUND`. */
  code: string;
  /** What the user can do about it. */
  hint?: string | undefined;
  cause?: unknown;
}

/** Base of every adlkit error: a stable `code`, an optional `hint`, and the `cause`. */
export class AdlkitError extends Error {
  /** True for any adlkit error, from any installed copy of any adlkit package (see `errorIdentity`). */
  static isInstance: (value: unknown) => value is AdlkitError = errorIdentity(this, "adlkit.error");

  readonly code: string;
  readonly hint: string | undefined;

  constructor(message: string, options: AdlkitErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AdlkitError";
    this.code = options.code;
    this.hint = options.hint;
  }
}
