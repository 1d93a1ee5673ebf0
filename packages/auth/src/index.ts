export {
  type Cloud,
  chinaCloud,
  emulatorCloud,
  emulatorCloudFromFile,
  InvalidArgumentError,
  publicCloud,
  scopeForResource,
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
