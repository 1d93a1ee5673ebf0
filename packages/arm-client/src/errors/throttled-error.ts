import { ArmError, type ArmErrorInit } from "./arm-error.js";

const MARKER = Symbol.for("adlkit.arm-error.throttled");

/** 429: Resource Manager kept throttling after every retry. `retryAfterInMs` says how long it asked to wait. */
export class ThrottledError extends ArmError {
  readonly [MARKER] = true;

  constructor(init: ArmErrorInit) {
    super(init);
    this.name = "ThrottledError";
  }

  static override isInstance(value: unknown): value is ThrottledError {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
  }
}
