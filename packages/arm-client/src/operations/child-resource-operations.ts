import { API_VERSIONS } from "../api-versions.js";
import { listResources } from "../paging/list-resources.js";
import type { PagedList } from "../paging/paged-async-iterator.js";
import type { ArmPipeline } from "../pipeline/arm-pipeline.js";
import { paths } from "../validation/paths.js";
import * as v from "../validation/validate.js";

type Signal = { abortSignal?: AbortSignal };

/** The five operations every account child (firewall rule, virtual network rule, trusted id provider) has. */
export interface ChildResourceOperations<T, TCreate, TUpdate> {
  /** PUT: creates or replaces the child. */
  createOrUpdate(
    resourceGroupName: string,
    accountName: string,
    name: string,
    parameters: TCreate,
    options?: Signal,
  ): Promise<T>;
  /** PATCH: changes only the properties given. */
  update(
    resourceGroupName: string,
    accountName: string,
    name: string,
    parameters?: TUpdate,
    options?: Signal,
  ): Promise<T>;
  get(resourceGroupName: string, accountName: string, name: string, options?: Signal): Promise<T>;
  /** Deleting a child that does not exist succeeds (204). */
  delete(resourceGroupName: string, accountName: string, name: string, options?: Signal): Promise<void>;
  listByAccount(resourceGroupName: string, accountName: string, options?: Signal): PagedList<T>;
}

export interface ChildKind {
  /** Path segment and operation-group name, e.g. `firewallRules`. */
  segment: "firewallRules" | "virtualNetworkRules" | "trustedIdProviders";
  /** Validates the properties of a create (`required`) or an update. */
  validate(properties: Record<string, unknown>, argument: string, required: boolean): void;
}

export function childResourceOperations<T, TCreate, TUpdate>(
  pipeline: ArmPipeline,
  kind: ChildKind,
): ChildResourceOperations<T, TCreate, TUpdate> {
  const sub = pipeline.subscriptionId;
  const apiVersion = API_VERSIONS.dataLakeStore;
  const group = kind.segment;
  const path = (rg: string, account: string, name?: string) => {
    v.resourceGroupName(rg);
    v.accountName(account);
    const base = `${paths.account(sub, rg, account)}/${group}`;
    return name === undefined ? base : `${base}/${encodeURIComponent(v.childName(name, "name"))}`;
  };

  return {
    async createOrUpdate(rg, account, name, parameters, options) {
      const url = path(rg, account, name);
      const p = v.object(parameters, "parameters");
      kind.validate(v.object(p.properties, "parameters.properties"), "parameters.properties", true);
      const abortSignal = v.abortSignalOf(options);
      const response = await pipeline.send<T>({
        operation: `${group}.createOrUpdate`,
        method: "PUT",
        url,
        apiVersion,
        body: { properties: p.properties },
        abortSignal,
      });
      return response.body as T;
    },
    async update(rg, account, name, parameters, options) {
      const url = path(rg, account, name);
      const p = v.optionalObject(parameters, "parameters");
      const props = p && v.optionalObject(p.properties, "parameters.properties");
      if (props) kind.validate(props, "parameters.properties", false);
      const abortSignal = v.abortSignalOf(options);
      const response = await pipeline.send<T>({
        operation: `${group}.update`,
        method: "PATCH",
        url,
        apiVersion,
        body: props ? { properties: props } : {},
        abortSignal,
      });
      return response.body as T;
    },
    async get(rg, account, name, options) {
      const url = path(rg, account, name);
      const abortSignal = v.abortSignalOf(options);
      return (
        await pipeline.send<T>({ operation: `${group}.get`, method: "GET", url, apiVersion, abortSignal })
      ).body as T;
    },
    async delete(rg, account, name, options) {
      const url = path(rg, account, name);
      const abortSignal = v.abortSignalOf(options);
      await pipeline.send({ operation: `${group}.delete`, method: "DELETE", url, apiVersion, abortSignal });
    },
    listByAccount(rg, account, options) {
      const url = path(rg, account);
      const abortSignal = v.abortSignalOf(options);
      return listResources<T>(pipeline, {
        operation: `${group}.listByAccount`,
        path: url,
        apiVersion,
        abortSignal,
      });
    },
  };
}

export const firewallRuleKind: ChildKind = {
  segment: "firewallRules",
  validate: (p, arg, required) => v.ipRange(p.startIpAddress, p.endIpAddress, arg, required),
};

export const virtualNetworkRuleKind: ChildKind = {
  segment: "virtualNetworkRules",
  validate: (p, arg, required) =>
    required
      ? v.nonEmptyString(p.subnetId, `${arg}.subnetId`)
      : v.optionalString(p.subnetId, `${arg}.subnetId`),
};

export const trustedIdProviderKind: ChildKind = {
  segment: "trustedIdProviders",
  validate: (p, arg, required) =>
    required
      ? v.nonEmptyString(p.idProvider, `${arg}.idProvider`)
      : v.optionalString(p.idProvider, `${arg}.idProvider`),
};
