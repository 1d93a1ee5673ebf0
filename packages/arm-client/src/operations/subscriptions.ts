import { API_VERSIONS } from "../api-versions.js";
import type { Subscription } from "../models/subscription.js";
import { listResources } from "../paging/list-resources.js";
import type { PagedList } from "../paging/paged-async-iterator.js";
import type { ArmPipeline } from "../pipeline/arm-pipeline.js";
import { abortSignalOf } from "../validation/validate.js";

export interface SubscriptionOperations {
  /** The client's subscription. */
  get(options?: { abortSignal?: AbortSignal }): Promise<Subscription>;
  /** Every subscription the credential can see. */
  list(options?: { abortSignal?: AbortSignal }): PagedList<Subscription>;
}

export function subscriptionOperations(pipeline: ArmPipeline): SubscriptionOperations {
  return {
    async get(options) {
      const abortSignal = abortSignalOf(options);
      const response = await pipeline.send<Subscription>({
        operation: "subscriptions.get",
        method: "GET",
        url: `/subscriptions/${encodeURIComponent(pipeline.subscriptionId)}`,
        apiVersion: API_VERSIONS.subscriptions,
        abortSignal,
      });
      return response.body as Subscription;
    },
    list(options) {
      const abortSignal = abortSignalOf(options);
      return listResources<Subscription>(pipeline, {
        operation: "subscriptions.list",
        path: "/subscriptions",
        apiVersion: API_VERSIONS.subscriptions,
        abortSignal,
      });
    },
  };
}
