import { ArmError, type ArmErrorInit } from "./arm-error.js";

const MARKER = Symbol.for("adlkit.arm-error.authorization-failed");

/** 403: the token was accepted but its principal may not do this (`AuthorizationFailed`). `hint` names the principal and tenant of the token sent. */
export class AuthorizationFailedError extends ArmError {
  readonly [MARKER] = true;

  constructor(init: ArmErrorInit) {
    super(init);
    this.name = "AuthorizationFailedError";
  }

  static override isInstance(value: unknown): value is AuthorizationFailedError {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
  }
}
