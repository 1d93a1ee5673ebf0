/**
 * Every error Resource Manager and the Microsoft.DataLakeStore provider put on the wire, in one place.
 * Codes and messages follow recorded ARM traffic where it exists; where the real RP's code was never
 * recorded (invalid names and bodies, see the protocol reference §10.4) the code is ARM's generic one.
 */

export interface ArmErrorDetail {
  code: string;
  message: string;
  target?: string;
}

export class ArmError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly options: { target?: string; details?: ArmErrorDetail[]; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = "ArmError";
  }

  /** The `{"error":{code,message[,target,details]}}` body. */
  toBody(): { error: Record<string, unknown> } {
    const error: Record<string, unknown> = { code: this.code, message: this.message };
    if (this.options.target) error.target = this.options.target;
    if (this.options.details?.length) error.details = this.options.details;
    return { error };
  }
}

const DATALAKE = "Microsoft.DataLakeStore";

// --- request shape ---------------------------------------------------------------------------------

export const missingApiVersion = () =>
  new ArmError(
    400,
    "MissingApiVersionParameter",
    "The api-version query parameter (?api-version=) is required for all requests.",
  );

export const invalidApiVersion = (version: string, reason: string) =>
  new ArmError(400, "InvalidApiVersionParameter", `The api-version '${version}' is invalid. ${reason}`);

/** `supported`: the versions of `type`, in any order (the message lists them oldest first, as ARM does). */
export const unsupportedDataLakeApiVersion = (version: string, type: string, supported: readonly string[]) =>
  new ArmError(
    400,
    "NoRegisteredProviderFound",
    `No registered resource provider found for location 'global' and API version '${version}' for type '${type}'. ` +
      `The supported api-versions are '${[...supported].sort().join(", ")}'.`,
  );

export const invalidRequestContent = (why: string, target?: string) =>
  new ArmError(
    400,
    "InvalidRequestContent",
    `The request content was invalid and could not be deserialized: ${why}`,
    {
      ...(target ? { target } : {}),
    },
  );

export const badRequest = (code: string, message: string, target?: string) =>
  new ArmError(400, code, message, target ? { target } : {});

export const invalidQuery = (name: string, why: string) =>
  new ArmError(400, "InvalidQueryParameterValue", `Invalid value for query parameter '${name}': ${why}`, {
    target: name,
  });

export const methodNotAllowed = (method: string, allowed: readonly string[]) =>
  new ArmError(
    405,
    "MethodNotAllowed",
    `The HTTP method '${method}' is not supported for this resource. Allowed: ${allowed.join(", ")}.`,
    {
      headers: { Allow: allowed.join(", ") },
    },
  );

// --- routing ---------------------------------------------------------------------------------------

export const pathNotFound = (path: string) =>
  new ArmError(
    404,
    "NotFound",
    `No Resource Manager route matches '${path}'. adl-emulator serves subscriptions, tenants, resource groups, ${DATALAKE} and Microsoft.Storage (storage accounts).`,
  );

export const providerNotFound = (namespace: string) =>
  new ArmError(
    404,
    "NoRegisteredProviderFound",
    `No registered resource provider found for namespace '${namespace}'. adl-emulator serves Microsoft.Resources, ${DATALAKE} and Microsoft.Storage.`,
  );

export const resourceTypeNotFound = (type: string, apiVersion: string) =>
  new ArmError(
    404,
    "InvalidResourceType",
    `The resource type '${type}' could not be found in the namespace '${DATALAKE}' for api version '${apiVersion}'.`,
  );

// --- authentication (401s carry a challenge; authenticate.ts adds it) ------------------------------

export const authenticationFailed = () =>
  new ArmError(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.");

export const invalidAuthenticationToken = (why: string) =>
  new ArmError(401, "InvalidAuthenticationToken", `The access token is invalid. ${why}`);

export const expiredAuthenticationToken = (expiry: string, now: string) =>
  new ArmError(
    401,
    "ExpiredAuthenticationToken",
    `The access token expiry UTC time '${expiry}' is earlier than current UTC time '${now}'.`,
  );

export const wrongAudience = (audience: string, allowed: readonly string[]) =>
  new ArmError(
    401,
    "InvalidAuthenticationTokenAudience",
    `The access token has been obtained for wrong audience or resource '${audience}'. ` +
      `It should exactly match with one of the allowed audiences ${allowed.map((a) => `'${a}'`).join(",")}.`,
  );

export const wrongTenant = (issuer: string, authority: string) =>
  new ArmError(
    401,
    "InvalidAuthenticationTokenTenant",
    `The access token is from the wrong issuer '${issuer}'. It must match the tenant '${authority}/' associated with this subscription. ` +
      `Please use the authority (URL) '${authority}' to get the token.`,
  );

// --- subscriptions, providers, throttling ----------------------------------------------------------

export const subscriptionNotFound = (id: string) =>
  new ArmError(404, "SubscriptionNotFound", `The subscription '${id}' could not be found.`);

export const missingRegistration = (namespace: string) =>
  new ArmError(
    409,
    "MissingSubscriptionRegistration",
    `The subscription is not registered to use namespace '${namespace}'. ` +
      "See https://aka.ms/rps-not-found for how to register subscriptions.",
  );

export const unregisterBlocked = (namespace: string, count: number) =>
  new ArmError(
    409,
    "ProviderUnregistrationFailed",
    `The subscription cannot be unregistered from namespace '${namespace}' while it still has ${count} resource(s) of that namespace.`,
  );

export const throttled = (kind: string, scope: string, retryAfter: number) =>
  new ArmError(
    429,
    "SubscriptionRequestsThrottled",
    `Number of '${kind}' requests for ${scope} exceeded. Please try again after '${retryAfter}' seconds. Refer to https://aka.ms/arm-throttling`,
    { headers: { "Retry-After": String(retryAfter) } },
  );

// --- resource groups -------------------------------------------------------------------------------

export const resourceGroupNotFound = (name: string) =>
  new ArmError(404, "ResourceGroupNotFound", `Resource group '${name}' could not be found.`);

export const resourceGroupBeingDeleted = (name: string) =>
  new ArmError(
    409,
    "ResourceGroupBeingDeleted",
    `The resource group '${name}' is in deprovisioning state and cannot perform this operation.`,
  );

export const resourceGroupLocationConflict = (name: string, existing: string, requested: string) =>
  new ArmError(
    409,
    "InvalidResourceGroupLocation",
    `Invalid resource group location '${requested}'. The Resource group already exists in location '${existing}'. ` +
      `Resource group '${name}' cannot be created in a different location.`,
  );

// --- Data Lake Store accounts and rules ------------------------------------------------------------

/** ARM's 404 for a resource of any provider (`type` as `Namespace/resourceType`). */
export const resourceNotFound = (type: string, name: string, resourceGroup: string) =>
  new ArmError(
    404,
    "ResourceNotFound",
    `The Resource '${type}/${name}' under resource group '${resourceGroup}' was not found. ` +
      "For more details please go to https://aka.ms/ARMResourceNotFoundFix",
  );

export const accountNotFound = (name: string, resourceGroup: string) =>
  resourceNotFound(`${DATALAKE}/accounts`, name, resourceGroup);

export const nestedResourceNotFound = () =>
  new ArmError(404, "NestedResourceNotFound", "Nested resource does not exist.");

export const accountNameTaken = (name: string, where: string) =>
  new ArmError(409, "Conflict", `An account named '${name}' already exists${where}.`, {
    target: "accountName",
  });

export const resourceLocationConflict = (
  name: string,
  resourceGroup: string,
  existing: string,
  requested: string,
) =>
  new ArmError(
    409,
    "InvalidResourceLocation",
    `The resource '${name}' already exists in location '${existing}' in resource group '${resourceGroup}'. ` +
      `A resource with the same name cannot be created in location '${requested}'. Please select a new resource name.`,
  );

export const operationInProgress = (name: string, state: string) =>
  new ArmError(
    409,
    "AnotherOperationInProgress",
    `The account '${name}' is ${state}; retry when its provisioning has finished.`,
  );

export const quotaExceeded = (location: string, limit: number) =>
  new ArmError(
    409,
    "QuotaExceeded",
    `The subscription already has the maximum of ${limit} Data Lake Store accounts in location '${location}'.`,
  );

export const operationNotFound = (id: string) =>
  new ArmError(404, "OperationNotFound", `The operation '${id}' could not be found in this subscription.`);
