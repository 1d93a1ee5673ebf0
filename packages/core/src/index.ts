export { type AccountKind, checkAccountName } from "./account-name.js";
export {
  type Cloud,
  chinaCloud,
  cloudByName,
  type EmulatorConnection,
  emulatorCloud,
  emulatorCloudFromFile,
  publicCloud,
  resourceFromScope,
  scopeForResource,
  storageScope,
  usGovCloud,
} from "./clouds.js";
export { AbortError } from "./errors/abort-error.js";
export { AdlkitError, type AdlkitErrorOptions } from "./errors/adlkit-error.js";
export { describeCause } from "./errors/describe-cause.js";
export { errorIdentity } from "./errors/error-identity.js";
export { HttpError, type HttpErrorInit } from "./errors/http-error.js";
export { InvalidArgumentError } from "./errors/invalid-argument-error.js";
export { NetworkError } from "./errors/network-error.js";
export { ThrottledError } from "./errors/throttled-error.js";
export { TimeoutError } from "./errors/timeout-error.js";
export type { BodyController, BodySink } from "./http/attempt.js";
export type { CaTrust } from "./http/dispatcher.js";
export {
  createHttpClient,
  type ErrorFactory,
  HTTP_DEFAULTS,
  type HttpClient,
  type HttpClientOptions,
  type HttpRequest,
  type RetryDecision,
  type SearchParams,
} from "./http/http-client.js";
export type { BodySource, RequestBody } from "./http/request-body.js";
export {
  letRequestsOut,
  ResponseHead,
  StreamResponse,
  TextResponse,
} from "./http/response.js";
export {
  type ResolvedRetryOptions,
  type RetryOptions,
  resolveRetry,
  retryAfterInMs,
} from "./http/retry.js";
export { isTransient, mayHaveLanded } from "./http/transient.js";
export { createLogger, type Logger, type LogLevel, normalizeLogger } from "./logger.js";
export { REDACTED, redactText, sanitizeForm, sanitizeUrl, WITHHELD } from "./sanitizer.js";
