// From @adlkit/core, so that installing this package alone is enough: the clouds its options take and the
// errors it throws (a strict installer such as pnpm does not let an app import a dependency's dependency).
export {
  AbortError,
  AdlkitError,
  type Cloud,
  chinaCloud,
  type EmulatorConnection,
  emulatorCloud,
  emulatorCloudFromFile,
  HttpError,
  type Logger,
  NetworkError,
  publicCloud,
  type RetryOptions,
  TimeoutError,
  usGovCloud,
} from "@adlkit/core";
export { API_VERSIONS } from "./api-versions.js";
export {
  type ArmClient,
  createArmClient,
  type FirewallRuleOperations,
  type TrustedIdProviderOperations,
  type VirtualNetworkRuleOperations,
} from "./arm-client.js";
export { ArmError, type ArmErrorDetail } from "./errors/arm-error.js";
export { AuthenticationFailedError } from "./errors/authentication-failed-error.js";
export { AuthorizationFailedError } from "./errors/authorization-failed-error.js";
export { ConflictError } from "./errors/conflict-error.js";
export { InvalidArgumentError } from "./errors/invalid-argument-error.js";
export { OperationFailedError } from "./errors/operation-failed-error.js";
export { ResourceNotFoundError } from "./errors/resource-not-found-error.js";
export { ThrottledError } from "./errors/throttled-error.js";
export type { ArmPoller, BeginOptions, OperationState } from "./lro/arm-poller.js";
export type { LroMode } from "./lro/infer-lro-mode.js";
export type { OperationStatus } from "./lro/operation-status.js";
export type * from "./models/account.js";
export { TIER_TYPES } from "./models/account.js";
export type * from "./models/child-resources.js";
export type * from "./models/location.js";
export type * from "./models/operation.js";
export type * from "./models/resource-group.js";
export type * from "./models/subscription.js";
export type { AccountOperations } from "./operations/accounts.js";
export type { ChildResourceOperations } from "./operations/child-resource-operations.js";
export type { LocationOperations } from "./operations/locations.js";
export type { ProviderOperations } from "./operations/provider-operations.js";
export type { ResourceGroupOperations } from "./operations/resource-groups.js";
export type { SubscriptionOperations } from "./operations/subscriptions.js";
export { type ArmClientOptions, DEFAULTS } from "./options.js";
export type { Page, PagedAsyncIterableIterator, PageSettings } from "./paging/paged-async-iterator.js";
