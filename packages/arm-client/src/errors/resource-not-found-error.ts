import { errorIdentity } from "@adlkit/core";
import { ArmError, type ArmErrorInit } from "./arm-error.js";

/**
 * 404: the subscription, resource group, account or child rule does not exist (`SubscriptionNotFound`,
 * `ResourceGroupNotFound`, `ResourceNotFound`, `NestedResourceNotFound`, …). `code` says which.
 */
export class ResourceNotFoundError extends ArmError {
  static override isInstance: (value: unknown) => value is ResourceNotFoundError = errorIdentity(
    this,
    "adlkit.error.arm-client.ResourceNotFoundError",
  );

  constructor(init: ArmErrorInit) {
    super(init);
    this.name = "ResourceNotFoundError";
  }
}
