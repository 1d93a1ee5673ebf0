/** A resource group (Microsoft.Resources, api-version 2022-09-01). */
export interface ResourceGroup {
  /** `/subscriptions/{s}/resourceGroups/{name}` */
  id: string;
  name: string;
  type: "Microsoft.Resources/resourceGroups" | (string & {});
  location: string;
  tags?: Record<string, string>;
  managedBy?: string;
  properties?: { provisioningState?: "Succeeded" | "Deleting" | (string & {}) };
}

/** Body of `resourceGroups.createOrUpdate`. */
export interface ResourceGroupCreateParameters {
  /** Region, e.g. `eastus`. Required; it cannot change later. */
  location: string;
  tags?: Record<string, string>;
  managedBy?: string;
}

/** Body of `resourceGroups.update`: `tags` replace the whole tag map. */
export interface ResourceGroupUpdateParameters {
  tags?: Record<string, string>;
  managedBy?: string;
}

export interface ResourceGroupListOptions {
  /** OData filter, e.g. `tagName eq 'env' and tagValue eq 'test'`. */
  filter?: string;
  /** Items per page (`$top`); the iterator still returns every item. */
  top?: number;
  abortSignal?: AbortSignal;
}
