import { ArmError, type ArmErrorInit } from "./arm-error.js";

const MARKER = Symbol.for("adlkit.arm-error.resource-not-found");

/**
 * 404: the subscription, resource group, account or child rule does not exist (`SubscriptionNotFound`,
 * `ResourceGroupNotFound`, `ResourceNotFound`, `NestedResourceNotFound`, …). `code` says which.
 */
export class ResourceNotFoundError extends ArmError {
  readonly [MARKER] = true;

  constructor(init: ArmErrorInit) {
    super(init);
    this.name = "ResourceNotFoundError";
  }

  static override isInstance(value: unknown): value is ResourceNotFoundError {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
  }
}
