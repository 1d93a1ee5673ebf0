import { API_VERSIONS } from "../api-versions.js";
import { type ArmPoller, type BeginOptions, createArmPoller } from "../lro/arm-poller.js";
import type {
  ResourceGroup,
  ResourceGroupCreateParameters,
  ResourceGroupListOptions,
  ResourceGroupUpdateParameters,
} from "../models/resource-group.js";
import { listResources } from "../paging/list-resources.js";
import type { PagedList } from "../paging/paged-async-iterator.js";
import type { ArmPipeline } from "../pipeline/arm-pipeline.js";
import { paths } from "../validation/paths.js";
import * as v from "../validation/validate.js";

export interface ResourceGroupOperations {
  /** Creates the group (201) or updates its tags (200). The location of an existing group cannot change (409). */
  createOrUpdate(
    name: string,
    parameters: ResourceGroupCreateParameters,
    options?: { abortSignal?: AbortSignal },
  ): Promise<ResourceGroup>;
  get(name: string, options?: { abortSignal?: AbortSignal }): Promise<ResourceGroup>;
  /** HEAD: true when the group exists, false on 404. */
  exists(name: string, options?: { abortSignal?: AbortSignal }): Promise<boolean>;
  /** PATCH: `tags` replace the whole tag map. */
  update(
    name: string,
    parameters: ResourceGroupUpdateParameters,
    options?: { abortSignal?: AbortSignal },
  ): Promise<ResourceGroup>;
  list(options?: ResourceGroupListOptions): PagedList<ResourceGroup>;
  /** Deletes the group and everything in it: a long-running operation. */
  beginDelete(name: string, options?: BeginOptions): ArmPoller<void>;
  beginDeleteAndWait(name: string, options?: BeginOptions): Promise<void>;
}

export function resourceGroupOperations(pipeline: ArmPipeline): ResourceGroupOperations {
  const sub = pipeline.subscriptionId;
  const apiVersion = API_VERSIONS.resourceGroups;

  const operations: ResourceGroupOperations = {
    async createOrUpdate(name, parameters, options) {
      v.resourceGroupName(name, "name");
      const p = v.object(parameters, "parameters");
      v.location(p.location);
      v.tags(p.tags, "parameters.tags");
      v.optionalString(p.managedBy, "parameters.managedBy");
      const abortSignal = v.abortSignalOf(options);
      const response = await pipeline.send<ResourceGroup>({
        operation: "resourceGroups.createOrUpdate",
        method: "PUT",
        url: paths.resourceGroup(sub, name),
        apiVersion,
        body: {
          location: p.location,
          ...(p.tags !== undefined ? { tags: p.tags } : {}),
          ...(p.managedBy !== undefined ? { managedBy: p.managedBy } : {}),
        },
        abortSignal,
      });
      return response.body as ResourceGroup;
    },
    async get(name, options) {
      v.resourceGroupName(name, "name");
      const abortSignal = v.abortSignalOf(options);
      const response = await pipeline.send<ResourceGroup>({
        operation: "resourceGroups.get",
        method: "GET",
        url: paths.resourceGroup(sub, name),
        apiVersion,
        abortSignal,
      });
      return response.body as ResourceGroup;
    },
    async exists(name, options) {
      v.resourceGroupName(name, "name");
      const abortSignal = v.abortSignalOf(options);
      const response = await pipeline.send({
        operation: "resourceGroups.exists",
        method: "HEAD",
        url: paths.resourceGroup(sub, name),
        apiVersion,
        acceptStatuses: [404],
        abortSignal,
      });
      return response.status !== 404;
    },
    async update(name, parameters, options) {
      v.resourceGroupName(name, "name");
      const p = v.object(parameters, "parameters");
      v.tags(p.tags, "parameters.tags");
      v.optionalString(p.managedBy, "parameters.managedBy");
      const abortSignal = v.abortSignalOf(options);
      const response = await pipeline.send<ResourceGroup>({
        operation: "resourceGroups.update",
        method: "PATCH",
        url: paths.resourceGroup(sub, name),
        apiVersion,
        body: p,
        abortSignal,
      });
      return response.body as ResourceGroup;
    },
    list(options) {
      const o = v.optionalObject(options, "options") ?? {};
      const top = v.positiveInteger(o.top, "options.top");
      const filter = v.optionalString(o.filter, "options.filter");
      const abortSignal = v.abortSignalOf(options);
      return listResources<ResourceGroup>(pipeline, {
        operation: "resourceGroups.list",
        path: paths.resourceGroups(sub),
        apiVersion,
        query: { $top: top, $filter: filter },
        abortSignal,
      });
    },
    beginDelete(name, options) {
      v.resourceGroupName(name, "name");
      v.beginOptions(options);
      return createArmPoller<void>({
        pipeline,
        operation: "resourceGroups.beginDelete",
        resourcePath: paths.resourceGroup(sub, name),
        initial: {
          operation: "resourceGroups.beginDelete",
          method: "DELETE",
          url: paths.resourceGroup(sub, name),
          apiVersion,
        },
        parseResult: () => undefined,
        options,
      });
    },
    async beginDeleteAndWait(name, options) {
      return operations.beginDelete(name, options).pollUntilDone();
    },
  };
  return operations;
}
