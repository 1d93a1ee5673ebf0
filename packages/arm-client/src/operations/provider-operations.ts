import { API_VERSIONS } from "../api-versions.js";
import type { Operation } from "../models/operation.js";
import { listResources } from "../paging/list-resources.js";
import type { PagedList } from "../paging/paged-async-iterator.js";
import type { ArmPipeline } from "../pipeline/arm-pipeline.js";
import { abortSignalOf } from "../validation/validate.js";

export interface ProviderOperations {
  /** The operations Microsoft.DataLakeStore offers (tenant-level; no subscription involved). */
  list(options?: { abortSignal?: AbortSignal }): PagedList<Operation>;
}

export function providerOperations(pipeline: ArmPipeline): ProviderOperations {
  return {
    list(options) {
      const abortSignal = abortSignalOf(options);
      return listResources<Operation>(pipeline, {
        operation: "operations.list",
        path: "/providers/Microsoft.DataLakeStore/operations",
        apiVersion: API_VERSIONS.dataLakeStore,
        abortSignal,
      });
    },
  };
}
