/** A subscription as `GET /subscriptions/{id}` returns it (api-version 2022-12-01). */
export interface Subscription {
  /** `/subscriptions/{subscriptionId}` */
  id: string;
  subscriptionId: string;
  tenantId?: string;
  displayName?: string;
  state?: "Enabled" | "Warned" | "PastDue" | "Disabled" | "Deleted" | (string & {});
  subscriptionPolicies?: { locationPlacementId?: string; quotaId?: string; spendingLimit?: string };
  authorizationSource?: string;
  tags?: Record<string, string>;
}
