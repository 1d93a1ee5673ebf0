import type { VerifiedToken } from "../auth/verify-bearer.js";
import type { EmulatorServices, RequestContext } from "../http/context.js";
import type { Subscription } from "../identity/identity-store.js";
import type { Operations } from "./operations.js";
import type { StorageProvider } from "./storage/provider.js";
import type { ArmStore } from "./store.js";

/** State shared by every ARM handler for the life of the emulator. */
export interface ArmState {
  readonly services: EmulatorServices;
  readonly store: ArmStore;
  readonly operations: Operations;
  /** Microsoft.Storage: storage accounts and the registry the Gen2 data plane reads. */
  readonly storage: StorageProvider;
}

/** One authenticated ARM request, as the handlers below the router see it. */
export interface ArmCall {
  readonly ctx: RequestContext;
  readonly arm: ArmState;
  readonly token: VerifiedToken;
  readonly apiVersion: string;
  /**
   * The request body, read before any state was looked at: handlers then run without awaiting, so what
   * they check cannot change under them before they write.
   */
  readonly bodyText: string;
}

/** An authenticated request addressed to a subscription the caller's tenant owns. */
export interface SubscriptionCall extends ArmCall {
  readonly subscription: Subscription;
}

/** ARM's timestamp format: ISO-8601 UTC with seven fractional digits (`2020-10-26T09:26:35.5792525Z`). */
export function armTimestamp(date = new Date()): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, ".$10000Z");
}

/**
 * `Retry-After` for long-running operations, from `config.arm.retryAfterSeconds` read now: a whole number of
 * seconds, at least 1 (azure-core treats 0 as absent and then waits 30 s).
 */
export function retryAfter(call: { arm: ArmState }): string {
  return String(Math.max(1, Math.ceil(call.arm.services.config.arm.retryAfterSeconds)));
}

/** The absolute URL of `path` on the base the client used, with `api-version`. */
export function absoluteUrl(ctx: RequestContext, path: string, apiVersion: string): string {
  const url = new URL(path, ctx.baseUrl);
  url.searchParams.set("api-version", apiVersion);
  return url.toString();
}
