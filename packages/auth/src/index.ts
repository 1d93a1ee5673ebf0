// From @adlkit/core, so that installing this package alone is enough: the clouds its options take and the
// errors a caller may catch (a strict installer such as pnpm does not let an app import a dependency's dependency).
export {
  AbortError,
  AdlkitError,
  type Cloud,
  chinaCloud,
  type EmulatorConnection,
  emulatorCloud,
  emulatorCloudFromFile,
  type Logger,
  NetworkError,
  publicCloud,
  scopeForResource,
  TimeoutError,
  usGovCloud,
} from "@adlkit/core";
export { ChainedTokenCredential, createDefaultCredential } from "./chained-token-credential.js";
export { ClientAssertionCredential } from "./client-assertion-credential.js";
export {
  type CertificateSource,
  ClientCertificateCredential,
  type ClientCertificateCredentialOptions,
} from "./client-certificate-credential.js";
export { ClientSecretCredential } from "./client-secret-credential.js";
export { EnvironmentCredential } from "./environment-credential.js";
export { AuthenticationError, CredentialUnavailableError } from "./errors.js";
export {
  ManagedIdentityCredential,
  type ManagedIdentityCredentialOptions,
} from "./managed-identity-credential.js";
export type { CredentialOptions } from "./token-options.js";
