export {
  type Cloud,
  chinaCloud,
  cloudByName,
  clouds,
  type EmulatorConnection,
  emulatorCloud,
  emulatorCloudFromFile,
  publicCloud,
  resourceFromScope,
  scopeForResource,
  usGovCloud,
} from "./clouds.js";
export { AdlkitError, type AdlkitErrorOptions } from "./errors/adlkit-error.js";
export {
  AbortError,
  describeCause,
  HttpError,
  type HttpErrorInit,
  NetworkError,
  RETRYABLE_STATUSES,
  TimeoutError,
} from "./errors/http-error.js";
export { BearerTokenCache, type BearerTokenCacheOptions } from "./http/bearer-token-cache.js";
export { createDispatcher, type DispatcherOptions } from "./http/dispatcher.js";
export {
  createHttpClient,
  type ErrorFactory,
  type HttpClient,
  type HttpClientOptions,
  type HttpRequest,
} from "./http/http-client.js";
export {
  backoffInMs,
  DEFAULT_RETRY,
  delayBeforeRetry,
  type ResolvedRetryOptions,
  type RetryOptions,
  resolveRetry,
  retryAfterInMs,
} from "./http/retry.js";
export {
  createLogger,
  type Logger,
  type LogLevel,
  logLevelFromEnv,
  normalizeLogger,
  silentLogger,
} from "./logger.js";
export { REDACTED, redactText, sanitizeForm, sanitizeHeaders, sanitizeUrl, WITHHELD } from "./sanitizer.js";
