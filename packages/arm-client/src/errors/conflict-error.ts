import { errorIdentity } from "@adlkit/core";
import { ArmError, type ArmErrorInit } from "./arm-error.js";

/** 409: the name is taken elsewhere, the resource is busy, or the request contradicts its current state (e.g. another location). */
export class ConflictError extends ArmError {
  static override isInstance: (value: unknown) => value is ConflictError = errorIdentity(
    this,
    "adlkit.error.arm-client.ConflictError",
  );

  constructor(init: ArmErrorInit) {
    super(init);
    this.name = "ConflictError";
  }
}
