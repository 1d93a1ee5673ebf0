import { errorIdentity } from "@adlkit/core";
import { ArmError, type ArmErrorInit } from "./arm-error.js";

/**
 * 401 even after one retry with a fresh token: Resource Manager refused the token (`AuthenticationFailed`,
 * `InvalidAuthenticationToken`, `ExpiredAuthenticationToken`, `InvalidAuthenticationTokenAudience`,
 * `InvalidAuthenticationTokenTenant`). `hint` names the audience, tenant, app and expiry of the token sent
 * (decoded from its claims; the token itself is never kept).
 */
export class AuthenticationFailedError extends ArmError {
  static override isInstance: (value: unknown) => value is AuthenticationFailedError = errorIdentity(
    this,
    "adlkit.error.arm-client.AuthenticationFailedError",
  );

  constructor(init: ArmErrorInit) {
    super(init);
    this.name = "AuthenticationFailedError";
  }
}
