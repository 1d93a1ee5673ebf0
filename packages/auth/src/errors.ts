import { AdlkitError, errorIdentity } from "@adlkit/core";

export interface AuthenticationErrorInit {
  /** AADSTS code from Entra, e.g. 7000215. */
  aadsts?: number | undefined;
  /** Entra's `error`, e.g. `invalid_client`; or msal-node's error code when Entra was never reached. */
  errorCode?: string | undefined;
  correlationId?: string | undefined;
  hint?: string | undefined;
  cause?: unknown;
}

/** Getting a token failed. `aadsts` and `hint` say why and what to change. Never carries a secret. */
export class AuthenticationError extends AdlkitError {
  static override isInstance: (value: unknown) => value is AuthenticationError = errorIdentity(
    this,
    "adlkit.error.auth.AuthenticationError",
  );

  readonly aadsts: number | undefined;
  readonly errorCode: string | undefined;
  readonly correlationId: string | undefined;

  constructor(message: string, init: AuthenticationErrorInit = {}) {
    super(message, {
      code: init.aadsts ? `AADSTS${init.aadsts}` : (init.errorCode ?? "AUTHENTICATION_FAILED"),
      hint: init.hint,
      cause: init.cause,
    });
    this.name = "AuthenticationError";
    this.aadsts = init.aadsts;
    this.errorCode = init.errorCode;
    this.correlationId = init.correlationId;
  }
}

/** This credential cannot work here (missing environment variables, no managed identity endpoint). A chain moves on. */
export class CredentialUnavailableError extends AdlkitError {
  static override isInstance: (value: unknown) => value is CredentialUnavailableError = errorIdentity(
    this,
    "adlkit.error.auth.CredentialUnavailableError",
  );

  constructor(message: string, hint?: string) {
    super(message, { code: "CREDENTIAL_UNAVAILABLE", hint });
    this.name = "CredentialUnavailableError";
  }
}
