import { AdlkitError } from "./adlkit-error.js";
import { errorIdentity } from "./error-identity.js";

/**
 * An option or argument was rejected before any request was sent. Every adlkit package throws this one class
 * for bad input, with the stable code `INVALID_ARGUMENT` and the offending name in `argument`, so a caller (the
 * CLI) can map it to its own flag without reading the message.
 */
export class InvalidArgumentError extends AdlkitError {
  static override isInstance: (value: unknown) => value is InvalidArgumentError = errorIdentity(
    this,
    "adlkit.error.InvalidArgumentError",
  );

  /** Which option or argument, as the caller wrote it: `concurrency`, `options.subscriptionId`, `tenantId`. */
  readonly argument: string;

  /**
   * What is wrong with it, without the argument's name or the package: a caller that names the argument its own
   * way (the CLI, by its flag) puts this after that name.
   */
  readonly problem: string;

  /**
   * @param argument the option or argument's name
   * @param problem what is wrong with it, completing a sentence that starts with the name
   * @param options `source`: the package, put first in the message as `[@adlkit/fs-client]`; `hint`: the fix
   */
  constructor(
    argument: string,
    problem: string,
    options: { source?: string | undefined; hint?: string | undefined } = {},
  ) {
    super(`${options.source ? `[${options.source}] ` : ""}${argument} ${problem}`, {
      code: "INVALID_ARGUMENT",
      hint: options.hint,
    });
    this.name = "InvalidArgumentError";
    this.argument = argument;
    this.problem = problem;
  }
}
