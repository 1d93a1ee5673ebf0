import { API_VERSIONS } from "../api-versions.js";
import type { CapabilityInformation, Usage } from "../models/location.js";
import { listResources } from "../paging/list-resources.js";
import type { ArmPipeline } from "../pipeline/arm-pipeline.js";
import { paths } from "../validation/paths.js";
import * as v from "../validation/validate.js";

type Signal = { abortSignal?: AbortSignal };

export interface LocationOperations {
  /** The subscription's Data Lake Store standing in a region; undefined when the service answers 404 (as the Azure SDKs do). */
  getCapability(location: string, options?: Signal): Promise<CapabilityInformation | undefined>;
  /** The quota counters of a region (all pages). */
  getUsage(location: string, options?: Signal): Promise<Usage[]>;
}

export function locationOperations(pipeline: ArmPipeline): LocationOperations {
  const sub = pipeline.subscriptionId;
  const apiVersion = API_VERSIONS.dataLakeStore;
  return {
    async getCapability(location, options) {
      const segment = v.locationSegment(location);
      const abortSignal = v.abortSignalOf(options);
      const response = await pipeline.send<CapabilityInformation>({
        operation: "locations.getCapability",
        method: "GET",
        url: `${paths.location(sub, segment)}/capability`,
        apiVersion,
        acceptStatuses: [404],
        abortSignal,
      });
      return response.status === 404 ? undefined : response.body;
    },
    async getUsage(location, options) {
      const segment = v.locationSegment(location);
      const abortSignal = v.abortSignalOf(options);
      const usages: Usage[] = [];
      for await (const usage of listResources<Usage>(pipeline, {
        operation: "locations.getUsage",
        path: `${paths.location(sub, segment)}/usages`,
        apiVersion,
        abortSignal,
      })) {
        usages.push(usage);
      }
      return usages;
    },
  };
}
