import { errorIdentity } from "@adlkit/core";
import { ArmError, type ArmErrorInit } from "./arm-error.js";

/** 403: the token was accepted but its principal may not do this (`AuthorizationFailed`). `hint` names the principal and tenant of the token sent. */
export class AuthorizationFailedError extends ArmError {
  static override isInstance: (value: unknown) => value is AuthorizationFailedError = errorIdentity(
    this,
    "adlkit.error.arm-client.AuthorizationFailedError",
  );

  constructor(init: ArmErrorInit) {
    super(init);
    this.name = "AuthorizationFailedError";
  }
}
