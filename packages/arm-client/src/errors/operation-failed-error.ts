import { AdlkitError, errorIdentity } from "@adlkit/core";
import type { ArmErrorDetail } from "./arm-error.js";

export interface OperationFailedErrorInit {
  /** The client operation, e.g. `accounts.beginCreate`. */
  operation: string;
  /** Path of the resource the operation was about. */
  resourcePath: string;
  /** Terminal status the service reported. */
  status: "failed" | "canceled";
  /** The ARM error the service reported with it, if any. */
  error?: ArmErrorDetail | undefined;
  requestId?: string | undefined;
}

/**
 * A long-running operation ended in `Failed` or `Canceled`. The requests themselves succeeded; the
 * operation did not. `code`, `armMessage`, `target` and `details` are the ARM error the service reported.
 */
export class OperationFailedError extends AdlkitError {
  static override isInstance: (value: unknown) => value is OperationFailedError = errorIdentity(
    this,
    "adlkit.error.arm-client.OperationFailedError",
  );

  readonly operation: string;
  readonly resourcePath: string;
  readonly status: "failed" | "canceled";
  readonly armMessage: string;
  readonly target: string | undefined;
  readonly details: ArmErrorDetail[];
  readonly requestId: string | undefined;

  constructor(init: OperationFailedErrorInit) {
    const code = init.error?.code ?? (init.status === "canceled" ? "OperationCanceled" : "OperationFailed");
    const why = init.error?.message ?? "the service gave no reason";
    super(
      `${init.operation} on ${init.resourcePath} ended ${init.status === "canceled" ? "Canceled" : "Failed"}: ${code}: ${why}`,
      {
        code,
        hint:
          init.status === "canceled"
            ? "Someone or something canceled the operation; start it again if it is still wanted."
            : "The operation was accepted but did not finish; fix what the message names and start it again.",
      },
    );
    this.name = "OperationFailedError";
    this.operation = init.operation;
    this.resourcePath = init.resourcePath;
    this.status = init.status;
    this.armMessage = why;
    this.target = init.error?.target;
    this.details = init.error?.details ?? [];
    this.requestId = init.requestId;
  }
}
