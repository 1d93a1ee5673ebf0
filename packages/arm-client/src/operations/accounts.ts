import { API_VERSIONS } from "../api-versions.js";
import { type ArmPoller, type BeginOptions, createArmPoller } from "../lro/arm-poller.js";
import type {
  AccountListOptions,
  CreateDataLakeStoreAccountParameters,
  DataLakeStoreAccount,
  DataLakeStoreAccountBasic,
  NameAvailabilityInformation,
  UpdateDataLakeStoreAccountParameters,
} from "../models/account.js";
import { TIER_TYPES } from "../models/account.js";
import { listResources } from "../paging/list-resources.js";
import type { PagedList } from "../paging/paged-async-iterator.js";
import type { ArmPipeline } from "../pipeline/arm-pipeline.js";
import { paths } from "../validation/paths.js";
import * as v from "../validation/validate.js";

type Signal = { abortSignal?: AbortSignal };

export interface AccountOperations {
  /** PUT: creates the account (a long-running operation), or replaces it when it exists in this resource group. */
  beginCreate(
    resourceGroupName: string,
    accountName: string,
    parameters: CreateDataLakeStoreAccountParameters,
    options?: BeginOptions,
  ): ArmPoller<DataLakeStoreAccount>;
  beginCreateAndWait(
    resourceGroupName: string,
    accountName: string,
    parameters: CreateDataLakeStoreAccountParameters,
    options?: BeginOptions,
  ): Promise<DataLakeStoreAccount>;
  /** PATCH: usually answered at once; a poller when the service makes it long-running. */
  beginUpdate(
    resourceGroupName: string,
    accountName: string,
    parameters: UpdateDataLakeStoreAccountParameters,
    options?: BeginOptions,
  ): ArmPoller<DataLakeStoreAccount>;
  /** PATCH and wait for the updated account. */
  update(
    resourceGroupName: string,
    accountName: string,
    parameters: UpdateDataLakeStoreAccountParameters,
    options?: BeginOptions,
  ): Promise<DataLakeStoreAccount>;
  get(resourceGroupName: string, accountName: string, options?: Signal): Promise<DataLakeStoreAccount>;
  /** DELETE: a long-running operation; deleting an account that does not exist succeeds (204). */
  beginDelete(resourceGroupName: string, accountName: string, options?: BeginOptions): ArmPoller<void>;
  beginDeleteAndWait(resourceGroupName: string, accountName: string, options?: BeginOptions): Promise<void>;
  /** Every account in the subscription. */
  list(options?: AccountListOptions): PagedList<DataLakeStoreAccountBasic>;
  listByResourceGroup(
    resourceGroupName: string,
    options?: AccountListOptions,
  ): PagedList<DataLakeStoreAccountBasic>;
  /** Whether a name is free (account names are global across subscriptions). */
  checkNameAvailability(
    location: string,
    name: string,
    options?: Signal,
  ): Promise<NameAvailabilityInformation>;
  /** Lets the account's identity use its Key Vault (UserManaged encryption). */
  enableKeyVault(resourceGroupName: string, accountName: string, options?: Signal): Promise<void>;
}

const ENABLED = ["Enabled", "Disabled"] as const;

export function accountOperations(pipeline: ArmPipeline): AccountOperations {
  const sub = pipeline.subscriptionId;
  const apiVersion = API_VERSIONS.dataLakeStore;
  const asAccount = (body: unknown) => body as DataLakeStoreAccount;

  function listQuery(options: AccountListOptions | undefined) {
    const o = v.optionalObject(options, "options") ?? {};
    if (o.count !== undefined && typeof o.count !== "boolean") v.fail("options.count", "must be a boolean.");
    return {
      query: {
        $filter: v.optionalString(o.filter, "options.filter"),
        $top: v.positiveInteger(o.top, "options.top"),
        $skip: v.positiveInteger(o.skip, "options.skip"),
        $select: v.optionalString(o.select, "options.select"),
        $orderby: v.optionalString(o.orderby, "options.orderby"),
        $count: o.count as boolean | undefined,
      },
      abortSignal: v.abortSignalOf(options),
    };
  }

  const operations: AccountOperations = {
    beginCreate(resourceGroupName, accountName, parameters, options) {
      v.resourceGroupName(resourceGroupName);
      v.accountName(accountName);
      validateCreate(parameters);
      v.beginOptions(options);
      const path = paths.account(sub, resourceGroupName, accountName);
      return createArmPoller({
        pipeline,
        operation: "accounts.beginCreate",
        resourcePath: path,
        initial: {
          operation: "accounts.beginCreate",
          method: "PUT",
          url: path,
          apiVersion,
          body: parameters,
        },
        parseResult: asAccount,
        options,
      });
    },
    async beginCreateAndWait(resourceGroupName, accountName, parameters, options) {
      return operations.beginCreate(resourceGroupName, accountName, parameters, options).pollUntilDone();
    },
    beginUpdate(resourceGroupName, accountName, parameters, options) {
      v.resourceGroupName(resourceGroupName);
      v.accountName(accountName);
      validateUpdate(parameters);
      v.beginOptions(options);
      const path = paths.account(sub, resourceGroupName, accountName);
      return createArmPoller({
        pipeline,
        operation: "accounts.update",
        resourcePath: path,
        initial: { operation: "accounts.update", method: "PATCH", url: path, apiVersion, body: parameters },
        parseResult: asAccount,
        options,
      });
    },
    async update(resourceGroupName, accountName, parameters, options) {
      return operations.beginUpdate(resourceGroupName, accountName, parameters, options).pollUntilDone();
    },
    async get(resourceGroupName, accountName, options) {
      v.resourceGroupName(resourceGroupName);
      v.accountName(accountName);
      const abortSignal = v.abortSignalOf(options);
      const response = await pipeline.send<DataLakeStoreAccount>({
        operation: "accounts.get",
        method: "GET",
        url: paths.account(sub, resourceGroupName, accountName),
        apiVersion,
        abortSignal,
      });
      return response.body as DataLakeStoreAccount;
    },
    beginDelete(resourceGroupName, accountName, options) {
      v.resourceGroupName(resourceGroupName);
      v.accountName(accountName);
      v.beginOptions(options);
      const path = paths.account(sub, resourceGroupName, accountName);
      return createArmPoller<void>({
        pipeline,
        operation: "accounts.beginDelete",
        resourcePath: path,
        initial: { operation: "accounts.beginDelete", method: "DELETE", url: path, apiVersion },
        parseResult: () => undefined,
        options,
      });
    },
    async beginDeleteAndWait(resourceGroupName, accountName, options) {
      return operations.beginDelete(resourceGroupName, accountName, options).pollUntilDone();
    },
    list(options) {
      const { query, abortSignal } = listQuery(options);
      return listResources(pipeline, {
        operation: "accounts.list",
        path: `${paths.provider(sub)}/accounts`,
        apiVersion,
        query,
        abortSignal,
      });
    },
    listByResourceGroup(resourceGroupName, options) {
      v.resourceGroupName(resourceGroupName);
      const { query, abortSignal } = listQuery(options);
      return listResources(pipeline, {
        operation: "accounts.listByResourceGroup",
        path: paths.accountsInGroup(sub, resourceGroupName),
        apiVersion,
        query,
        abortSignal,
      });
    },
    async checkNameAvailability(location, name, options) {
      const segment = v.locationSegment(location);
      v.nonEmptyString(name, "name");
      const abortSignal = v.abortSignalOf(options);
      const response = await pipeline.send<NameAvailabilityInformation>({
        operation: "accounts.checkNameAvailability",
        method: "POST",
        url: `${paths.location(sub, segment)}/checkNameAvailability`,
        apiVersion,
        body: { name, type: "Microsoft.DataLakeStore/accounts" },
        // A read, despite the POST: safe to repeat.
        retryable: true,
        abortSignal,
      });
      return response.body as NameAvailabilityInformation;
    },
    async enableKeyVault(resourceGroupName, accountName, options) {
      v.resourceGroupName(resourceGroupName);
      v.accountName(accountName);
      const abortSignal = v.abortSignalOf(options);
      await pipeline.send({
        operation: "accounts.enableKeyVault",
        method: "POST",
        url: `${paths.account(sub, resourceGroupName, accountName)}/enableKeyVault`,
        apiVersion,
        abortSignal,
      });
    },
  };
  return operations;
}

function validateCreate(parameters: unknown): void {
  const p = v.object(parameters, "parameters");
  v.location(p.location);
  v.tags(p.tags, "parameters.tags");
  const identity = v.optionalObject(p.identity, "parameters.identity");
  if (identity && identity.type !== "SystemAssigned") {
    v.fail(
      "parameters.identity.type",
      "must be 'SystemAssigned', the only identity type Data Lake Store supports.",
    );
  }
  const props = v.optionalObject(p.properties, "parameters.properties");
  if (!props) return;
  validateCommonProperties(props, true);
  const encryption = v.optionalObject(props.encryptionConfig, "parameters.properties.encryptionConfig");
  if (encryption) {
    const type = v.oneOf(
      encryption.type,
      ["UserManaged", "ServiceManaged"],
      "parameters.properties.encryptionConfig.type",
    );
    if (!type)
      v.fail(
        "parameters.properties.encryptionConfig.type",
        "is required: 'UserManaged' or 'ServiceManaged'.",
      );
    const kv = v.optionalObject(
      encryption.keyVaultMetaInfo,
      "parameters.properties.encryptionConfig.keyVaultMetaInfo",
    );
    if (type === "UserManaged" && !kv)
      v.fail(
        "parameters.properties.encryptionConfig.keyVaultMetaInfo",
        "is required when type is 'UserManaged'.",
      );
    if (kv) {
      for (const field of ["keyVaultResourceId", "encryptionKeyName", "encryptionKeyVersion"]) {
        v.nonEmptyString(kv[field], `parameters.properties.encryptionConfig.keyVaultMetaInfo.${field}`);
      }
    }
  }
  v.oneOf(props.encryptionState, ENABLED, "parameters.properties.encryptionState");
}

function validateUpdate(parameters: unknown): void {
  const p = v.object(parameters, "parameters");
  for (const key of ["location", "identity"]) {
    if (p[key] !== undefined)
      v.fail(`parameters.${key}`, "cannot change after create, so an update does not take it.");
  }
  v.tags(p.tags, "parameters.tags");
  const props = v.optionalObject(p.properties, "parameters.properties");
  if (!props) return;
  validateCommonProperties(props, false);
  const encryption = v.optionalObject(props.encryptionConfig, "parameters.properties.encryptionConfig");
  const kv =
    encryption &&
    v.optionalObject(encryption.keyVaultMetaInfo, "parameters.properties.encryptionConfig.keyVaultMetaInfo");
  if (kv)
    v.optionalString(
      kv.encryptionKeyVersion,
      "parameters.properties.encryptionConfig.keyVaultMetaInfo.encryptionKeyVersion",
    );
}

function validateCommonProperties(props: Record<string, unknown>, create: boolean): void {
  const base = "parameters.properties";
  v.optionalString(props.defaultGroup, `${base}.defaultGroup`);
  for (const key of ["firewallState", "firewallAllowAzureIps", "trustedIdProviderState"])
    v.oneOf(props[key], ENABLED, `${base}.${key}`);
  v.oneOf(props.newTier, TIER_TYPES, `${base}.newTier`);
  rules(props.firewallRules, `${base}.firewallRules`, (p, arg) =>
    v.ipRange(p.startIpAddress, p.endIpAddress, arg, create),
  );
  rules(props.virtualNetworkRules, `${base}.virtualNetworkRules`, (p, arg) =>
    create
      ? v.nonEmptyString(p.subnetId, `${arg}.subnetId`)
      : v.optionalString(p.subnetId, `${arg}.subnetId`),
  );
  rules(props.trustedIdProviders, `${base}.trustedIdProviders`, (p, arg) =>
    create
      ? v.nonEmptyString(p.idProvider, `${arg}.idProvider`)
      : v.optionalString(p.idProvider, `${arg}.idProvider`),
  );
}

function rules(
  value: unknown,
  argument: string,
  check: (properties: Record<string, unknown>, argument: string) => void,
): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) v.fail(argument, "must be an array of { name, properties }.");
  const names = new Set<string>();
  value.forEach((rule, i) => {
    const arg = `${argument}[${i}]`;
    const r = v.object(rule, arg);
    const name = v.childName(r.name, `${arg}.name`);
    if (names.has(name.toLowerCase()))
      v.fail(`${arg}.name`, `repeats '${name}': rule names must be unique (case-insensitively).`);
    names.add(name.toLowerCase());
    check(v.object(r.properties, `${arg}.properties`), `${arg}.properties`);
  });
}
