import { retryAfterInMs, ThrottledError } from "@adlkit/core";
import {
  ArmError,
  type ArmErrorDetail,
  type ArmErrorInit,
  armErrorMessage,
  httpErrorInit,
} from "./arm-error.js";
import { AuthenticationFailedError } from "./authentication-failed-error.js";
import { AuthorizationFailedError } from "./authorization-failed-error.js";
import { ConflictError } from "./conflict-error.js";
import { ResourceNotFoundError } from "./resource-not-found-error.js";
import { tokenHint } from "./token-claims.js";

export interface ErrorResponseInput {
  status: number;
  headers: Headers;
  /** The response body as text (may be empty or not JSON). */
  bodyText: string;
  method: string;
  url: string;
  /** The bearer token that was sent, to name its claims in 401/403 hints. Never copied into the error. */
  token?: string | undefined;
  /** The Resource Manager audience of the client's cloud. */
  audience: string;
  now?: number | undefined;
}

/** Reads ARM's error body: `{"error": {...}}`, a bare `{code, message}`, or anything else. */
export function parseArmErrorBody(bodyText: string): ArmErrorDetail | undefined {
  if (!bodyText.trim()) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null) return undefined;
  const candidate = ("error" in parsed ? (parsed as { error: unknown }).error : parsed) as Record<
    string,
    unknown
  > | null;
  if (typeof candidate !== "object" || candidate === null) return undefined;
  return toDetail(candidate);
}

function toDetail(raw: Record<string, unknown>): ArmErrorDetail | undefined {
  const code = typeof raw.code === "string" ? raw.code : undefined;
  const message = typeof raw.message === "string" ? raw.message : undefined;
  if (!code && !message) return undefined;
  const details = Array.isArray(raw.details)
    ? raw.details
        .flatMap((d) => (typeof d === "object" && d !== null ? [toDetail(d as Record<string, unknown>)] : []))
        .filter((d) => d !== undefined)
    : undefined;
  return {
    code: code ?? "Unknown",
    message: message ?? "",
    target: typeof raw.target === "string" ? raw.target : undefined,
    details,
    additionalInfo: Array.isArray(raw.additionalInfo)
      ? (raw.additionalInfo as ArmErrorDetail["additionalInfo"])
      : undefined,
  };
}

const STATUS_TEXT: Record<number, string> = {
  400: "the request was rejected as invalid",
  401: "the token was not accepted",
  403: "the principal is not allowed to do this",
  404: "it does not exist",
  409: "it conflicts with the current state",
  429: "Resource Manager is throttling requests",
  500: "Resource Manager had an internal error",
  502: "Resource Manager got a bad response upstream",
  503: "Resource Manager is unavailable",
  504: "Resource Manager timed out upstream",
};

/**
 * Maps an ARM error response to the error class callers branch on; throttling is core's ThrottledError (one
 * class for every client), carrying ARM's code, message and Retry-After.
 */
export function armErrorFromResponse(input: ErrorResponseInput): ArmError | ThrottledError {
  const detail = parseArmErrorBody(input.bodyText);
  const code = detail?.code ?? `HTTP_${input.status}`;
  const init: ArmErrorInit = {
    status: input.status,
    method: input.method,
    url: input.url,
    requestId: input.headers.get("x-ms-request-id") ?? undefined,
    correlationId: input.headers.get("x-ms-correlation-request-id") ?? undefined,
    code,
    armMessage: detail?.message || (STATUS_TEXT[input.status] ?? `HTTP ${input.status}`),
    target: detail?.target,
    details: detail?.details,
    additionalInfo: detail?.additionalInfo,
    retryAfterInMs: retryAfterInMs(input.headers, input.now),
    hint: hintFor(input, code, detail?.message ?? ""),
  };
  switch (input.status) {
    case 401:
      return new AuthenticationFailedError(init);
    case 403:
      return new AuthorizationFailedError(init);
    case 404:
      return new ResourceNotFoundError(init);
    case 409:
      return new ConflictError(init);
    case 429:
      return new ThrottledError(armErrorMessage(init), {
        ...httpErrorInit(init),
        retryAfterInMs: init.retryAfterInMs,
      });
    default:
      return new ArmError(init);
  }
}

function hintFor(input: ErrorResponseInput, code: string, armMessage: string): string | undefined {
  switch (input.status) {
    case 401:
    case 403:
      return tokenHint(input.token, { audience: input.audience, armCode: code }, input.now);
    case 404:
      if (code === "SubscriptionNotFound")
        return "Check the subscriptionId option and that the credential's tenant owns it.";
      if (code === "ResourceGroupNotFound")
        return "Create the resource group first (resourceGroups.createOrUpdate) or check its name.";
      return undefined;
    case 409:
      if (code === "MissingSubscriptionRegistration") {
        // ARM quotes the namespace ('Microsoft.Storage'); this client uses more than one.
        const namespace = /'(Microsoft\.[A-Za-z]+)'/.exec(armMessage)?.[1] ?? "Microsoft.DataLakeStore";
        return `Register the resource provider on the subscription (az provider register --namespace ${namespace}).`;
      }
      return undefined;
    case 429:
      return "Resource Manager throttled every attempt. Wait, make fewer requests, or raise retry.limit.";
    default:
      return input.status >= 500 ? "A transient service problem; retrying later usually helps." : undefined;
  }
}
