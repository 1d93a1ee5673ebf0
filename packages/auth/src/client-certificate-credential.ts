import { X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { ConfidentialClientCredential, checkTenantId, requireArgument } from "./confidential-client.js";
import { invalidArgument } from "./invalid-argument.js";
import type { CredentialOptions } from "./token-options.js";

/** Where the certificate and its private key are: one PEM holding both (as Azure tools expect), or separate parts. */
export type CertificateSource =
  | string // path to a PEM file with the certificate and its private key
  | { certificatePath: string; privateKeyPath?: string }
  | { certificate: string; privateKey?: string }; // PEM contents

export interface ClientCertificateCredentialOptions extends CredentialOptions {
  /** Send the certificate (x5c) with each assertion, for subject name / issuer authentication. @default false */
  sendCertificateChain?: boolean;
}

const CERT_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const KEY_BLOCK =
  /-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----/;

async function loadPem(
  source: CertificateSource,
): Promise<{ certificates: string[]; privateKey: string; where: string }> {
  let certText: string;
  let keyText: string;
  let where: string;
  if (typeof source === "string") {
    where = source;
    certText = keyText = await readFile(source, "utf8");
  } else if ("certificatePath" in source) {
    where = source.certificatePath;
    certText = await readFile(source.certificatePath, "utf8");
    keyText = source.privateKeyPath ? await readFile(source.privateKeyPath, "utf8") : certText;
  } else {
    where = "the certificate given inline";
    certText = source.certificate;
    keyText = source.privateKey ?? source.certificate;
  }
  const certificates = certText.match(CERT_BLOCK) ?? [];
  const privateKey = KEY_BLOCK.exec(keyText)?.[0];
  if (certificates.length === 0)
    throw invalidArgument(
      "ClientCertificateCredential",
      "certificate",
      `has no PEM certificate in ${where}.`,
    );
  if (!privateKey)
    throw invalidArgument(
      "ClientCertificateCredential",
      "certificate",
      `has no PEM private key for ${where}.`,
    );
  if (privateKey.includes("ENCRYPTED")) {
    throw invalidArgument(
      "ClientCertificateCredential",
      "certificate",
      `has an encrypted private key in ${where}; decrypt it first (openssl pkcs8 -in key.pem -out plain.pem).`,
    );
  }
  return { certificates, privateKey, where };
}

/**
 * A service principal with a certificate: msal-node signs a client assertion (PS256, `x5t#S256`) with the
 * private key. The key is read on first use and held only inside msal-node's configuration.
 */
export class ClientCertificateCredential implements TokenCredential {
  readonly #inner: ConfidentialClientCredential;

  constructor(
    tenantId: string,
    clientId: string,
    certificate: CertificateSource,
    options: ClientCertificateCredentialOptions = {},
  ) {
    const name = "ClientCertificateCredential";
    const tenant = requireArgument(name, "tenantId", tenantId);
    checkTenantId(name, tenant);
    const client = requireArgument(name, "clientId", clientId);
    if (!certificate || (typeof certificate === "string" && certificate.trim() === "")) {
      throw invalidArgument(
        name,
        "certificate",
        "(a PEM path, or {certificatePath, privateKeyPath}, or {certificate, privateKey}) is required.",
      );
    }
    this.#inner = new ConfidentialClientCredential({
      name,
      tenantId: tenant,
      clientId: client,
      options,
      auth: async () => {
        const pem = await loadPem(certificate);
        const leaf = new X509Certificate(pem.certificates[0]!);
        return {
          clientCertificate: {
            thumbprintSha256: leaf.fingerprint256.replace(/:/g, ""),
            privateKey: pem.privateKey,
            ...(options.sendCertificateChain ? { x5c: pem.certificates.join("\n") } : {}),
          },
        };
      },
    });
  }

  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    return this.#inner.getToken(scopes, options);
  }
}
