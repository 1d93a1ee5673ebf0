import { AdlkitError } from "./adlkit-error.js";
import { errorIdentity } from "./error-identity.js";

/** The caller aborted through its AbortSignal. */
export class AbortError extends AdlkitError {
  static override isInstance: (value: unknown) => value is AbortError = errorIdentity(
    this,
    "adlkit.error.AbortError",
  );

  constructor(message = "The operation was aborted.", cause?: unknown) {
    super(message, { code: "ABORTED", cause });
    this.name = "AbortError";
  }
}
