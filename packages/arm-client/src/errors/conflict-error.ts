import { ArmError, type ArmErrorInit } from "./arm-error.js";

const MARKER = Symbol.for("adlkit.arm-error.conflict");

/** 409: the name is taken elsewhere, the resource is busy, or the request contradicts its current state (e.g. another location). */
export class ConflictError extends ArmError {
  readonly [MARKER] = true;

  constructor(init: ArmErrorInit) {
    super(init);
    this.name = "ConflictError";
  }

  static override isInstance(value: unknown): value is ConflictError {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
  }
}
