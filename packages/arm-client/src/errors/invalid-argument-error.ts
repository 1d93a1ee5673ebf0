import { AdlkitError } from "@adlkit/core";

const MARKER = Symbol.for("adlkit.arm-error.invalid-argument");

/** An option or argument was rejected before any request was sent. */
export class InvalidArgumentError extends AdlkitError {
  readonly [MARKER] = true;
  /** Which option or argument, e.g. `accountName` or `options.pollIntervalInMs`. */
  readonly argument: string;

  constructor(argument: string, problem: string, hint?: string) {
    super(`[@adlkit/arm-client] ${argument} ${problem}`, { code: "INVALID_ARGUMENT", hint });
    this.name = "InvalidArgumentError";
    this.argument = argument;
  }

  static override isInstance(value: unknown): value is InvalidArgumentError {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
  }
}
