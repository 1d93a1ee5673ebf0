import { type ArmPoller, type BeginOptions, createArmPoller } from "../lro/arm-poller.js";
import type {
  CreateStorageAccountParameters,
  StorageAccount,
  StorageAccountKeyName,
  StorageListKeysOptions,
  StorageNameAvailability,
  UpdateStorageAccountParameters,
} from "../models/storage-account.js";
import { keysFromBody, type StorageAccountKeys } from "../models/storage-account-key.js";
import { listResources } from "../paging/list-resources.js";
import type { PagedList } from "../paging/paged-async-iterator.js";
import type { ArmPipeline } from "../pipeline/arm-pipeline.js";
import { storagePaths as paths } from "../validation/paths.js";
import { validateStorageCreate, validateStorageUpdate } from "../validation/storage-account-parameters.js";
import * as v from "../validation/validate.js";

type Signal = { abortSignal?: AbortSignal };

export interface StorageAccountOperations {
  /**
   * PUT: creates the account, a long-running operation (Resource Manager answers 202 and provisions it), or
   * updates one that exists in this resource group. `properties.isHnsEnabled: true` makes it Data Lake Storage Gen2.
   */
  beginCreate(
    resourceGroupName: string,
    accountName: string,
    parameters: CreateStorageAccountParameters,
    options?: BeginOptions,
  ): ArmPoller<StorageAccount>;
  beginCreateAndWait(
    resourceGroupName: string,
    accountName: string,
    parameters: CreateStorageAccountParameters,
    options?: BeginOptions,
  ): Promise<StorageAccount>;
  get(resourceGroupName: string, accountName: string, options?: Signal): Promise<StorageAccount>;
  /** Every storage account in the subscription. */
  list(options?: Signal): PagedList<StorageAccount>;
  listByResourceGroup(resourceGroupName: string, options?: Signal): PagedList<StorageAccount>;
  /** PATCH: tags (replacing the whole map), sku within its tier, settings. Answered at once. */
  update(
    resourceGroupName: string,
    accountName: string,
    parameters: UpdateStorageAccountParameters,
    options?: BeginOptions,
  ): Promise<StorageAccount>;
  /** DELETE, with all its data: answered at once; deleting an account that does not exist succeeds (204). */
  delete(resourceGroupName: string, accountName: string, options?: BeginOptions): Promise<void>;
  /** The account's access keys (secrets: see StorageAccountKey). */
  listKeys(
    resourceGroupName: string,
    accountName: string,
    options?: StorageListKeysOptions,
  ): Promise<StorageAccountKeys>;
  /** Replaces one key with a new one; the other keeps working, so clients can move over without downtime. */
  regenerateKey(
    resourceGroupName: string,
    accountName: string,
    keyName: StorageAccountKeyName,
    options?: Signal,
  ): Promise<StorageAccountKeys>;
  /** Whether a name is valid and free: storage account names are global across all of Azure. */
  checkNameAvailability(name: string, options?: Signal): Promise<StorageNameAvailability>;
}

const KEY_NAMES: readonly StorageAccountKeyName[] = ["key1", "key2", "kerb1", "kerb2"];

export function storageAccountOperations(pipeline: ArmPipeline): StorageAccountOperations {
  const sub = pipeline.subscriptionId;
  const apiVersion = pipeline.apiVersions.storage;
  const asAccount = (body: unknown) => body as StorageAccount;

  /** The account's path, after checking both names. */
  const accountPath = (resourceGroupName: unknown, accountName: unknown) =>
    paths.account(sub, v.resourceGroupName(resourceGroupName), v.storageAccountName(accountName));

  /** A write followed to its end by the one poller: create, update and delete alike. */
  function begin<T>(
    operation: string,
    method: "PUT" | "PATCH" | "DELETE",
    path: string,
    body: unknown,
    parseResult: (body: unknown) => T,
    options: BeginOptions | undefined,
  ): ArmPoller<T> {
    v.beginOptions(options);
    return createArmPoller({
      pipeline,
      operation,
      resourcePath: path,
      initial: { operation, method, url: path, apiVersion, body },
      parseResult,
      options,
    });
  }

  async function postKeys(
    operation: string,
    resourceGroupName: string,
    accountName: string,
    action: string,
    request: {
      body?: unknown;
      query?: Record<string, string | undefined>;
      abortSignal?: AbortSignal | undefined;
    },
  ): Promise<StorageAccountKeys> {
    const response = await pipeline.send({
      operation,
      method: "POST",
      url: `${accountPath(resourceGroupName, accountName)}/${action}`,
      apiVersion,
      body: request.body,
      query: request.query,
      // listKeys is a read; a repeated regenerateKey leaves the same outcome (a fresh key, in the last answer).
      retryable: true,
      abortSignal: request.abortSignal,
    });
    return keysFromBody(response.body, operation);
  }

  const operations: StorageAccountOperations = {
    beginCreate(resourceGroupName, accountName, parameters, options) {
      const path = accountPath(resourceGroupName, accountName);
      validateStorageCreate(parameters);
      return begin("storageAccounts.beginCreate", "PUT", path, parameters, asAccount, options);
    },
    async beginCreateAndWait(resourceGroupName, accountName, parameters, options) {
      return operations.beginCreate(resourceGroupName, accountName, parameters, options).pollUntilDone();
    },
    async get(resourceGroupName, accountName, options) {
      const url = accountPath(resourceGroupName, accountName);
      const abortSignal = v.abortSignalOf(options);
      const response = await pipeline.send<StorageAccount>({
        operation: "storageAccounts.get",
        method: "GET",
        url,
        apiVersion,
        abortSignal,
      });
      return response.body as StorageAccount;
    },
    list(options) {
      const abortSignal = v.abortSignalOf(options);
      return listResources(pipeline, {
        operation: "storageAccounts.list",
        path: `${paths.provider(sub)}/storageAccounts`,
        apiVersion,
        abortSignal,
      });
    },
    listByResourceGroup(resourceGroupName, options) {
      v.resourceGroupName(resourceGroupName);
      const abortSignal = v.abortSignalOf(options);
      return listResources(pipeline, {
        operation: "storageAccounts.listByResourceGroup",
        path: paths.accountsInGroup(sub, resourceGroupName),
        apiVersion,
        abortSignal,
      });
    },
    async update(resourceGroupName, accountName, parameters, options) {
      const path = accountPath(resourceGroupName, accountName);
      validateStorageUpdate(parameters);
      // Through the poller, like every write: Azure answers a PATCH at once today, and should it ever answer
      // 202 the caller still gets the updated account rather than an empty body.
      return begin("storageAccounts.update", "PATCH", path, parameters, asAccount, options).pollUntilDone();
    },
    async delete(resourceGroupName, accountName, options) {
      const path = accountPath(resourceGroupName, accountName);
      return begin(
        "storageAccounts.delete",
        "DELETE",
        path,
        undefined,
        () => undefined,
        options,
      ).pollUntilDone();
    },
    async listKeys(resourceGroupName, accountName, options) {
      const o = v.optionalObject(options, "options") ?? {};
      const expand = v.oneOf(o.expand, ["kerb"], "options.expand");
      return postKeys("storageAccounts.listKeys", resourceGroupName, accountName, "listKeys", {
        query: { $expand: expand },
        abortSignal: v.abortSignalOf(options),
      });
    },
    async regenerateKey(resourceGroupName, accountName, keyName, options) {
      // The value is not repeated in the message: a key pasted here by mistake must not reach a log.
      if (typeof keyName !== "string" || !KEY_NAMES.includes(keyName))
        v.fail("keyName", `must be one of ${KEY_NAMES.join(", ")} (the value given is not shown).`);
      return postKeys("storageAccounts.regenerateKey", resourceGroupName, accountName, "regenerateKey", {
        body: { keyName },
        abortSignal: v.abortSignalOf(options),
      });
    },
    async checkNameAvailability(name, options) {
      // Not checked against the name rule here: saying why a name is invalid is this operation's job.
      v.nonEmptyString(name, "name");
      const abortSignal = v.abortSignalOf(options);
      const response = await pipeline.send<StorageNameAvailability>({
        operation: "storageAccounts.checkNameAvailability",
        method: "POST",
        url: `${paths.provider(sub)}/checkNameAvailability`,
        apiVersion,
        body: { name, type: "Microsoft.Storage/storageAccounts" },
        // A read, despite the POST: safe to repeat.
        retryable: true,
        abortSignal,
      });
      return response.body as StorageNameAvailability;
    },
  };
  return operations;
}
