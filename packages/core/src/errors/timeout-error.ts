import { AdlkitError } from "./adlkit-error.js";
import { errorIdentity } from "./error-identity.js";

/** An attempt ran past its time limit, or a transfer made no progress for too long. */
export class TimeoutError extends AdlkitError {
  static override isInstance: (value: unknown) => value is TimeoutError = errorIdentity(
    this,
    "adlkit.error.TimeoutError",
  );

  constructor(message: string, cause?: unknown) {
    super(message, { code: "TIMEOUT", cause });
    this.name = "TimeoutError";
  }
}
