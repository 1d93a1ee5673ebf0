import { ArmError, type ArmErrorInit } from "./arm-error.js";

const MARKER = Symbol.for("adlkit.arm-error.authentication-failed");

/**
 * 401 even after one retry with a fresh token: Resource Manager refused the token (`AuthenticationFailed`,
 * `InvalidAuthenticationToken`, `ExpiredAuthenticationToken`, `InvalidAuthenticationTokenAudience`,
 * `InvalidAuthenticationTokenTenant`). `hint` names the audience, tenant, app and expiry of the token sent
 * (decoded from its claims; the token itself is never kept).
 */
export class AuthenticationFailedError extends ArmError {
  readonly [MARKER] = true;

  constructor(init: ArmErrorInit) {
    super(init);
    this.name = "AuthenticationFailedError";
  }

  static override isInstance(value: unknown): value is AuthenticationFailedError {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
  }
}
