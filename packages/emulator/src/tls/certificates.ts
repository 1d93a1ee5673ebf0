import "reflect-metadata"; // @peculiar/x509 uses tsyringe, which needs the Reflect metadata polyfill
import { createHash, webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(webcrypto);

const ecdsa = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const rsa = {
  name: "RSASSA-PKCS1-v1_5",
  hash: "SHA-256",
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
};
const YEAR_MS = 365 * 24 * 3600 * 1000;

export interface PemPair {
  certPem: string;
  keyPem: string;
}

async function exportKeyPem(key: webcrypto.CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey("pkcs8", key));
  return `-----BEGIN PRIVATE KEY-----\n${der.toString("base64").replace(/.{64}/g, "$&\n").trimEnd()}\n-----END PRIVATE KEY-----\n`;
}

function serial(): string {
  // Positive, 16 bytes: unique per certificate so browsers and OpenSSL never confuse two emulator CAs.
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return Buffer.from(bytes).toString("hex");
}

/** A local certificate authority (EC P-256), valid ten years. */
export async function createCa(commonName: string): Promise<PemPair> {
  const keys = await webcrypto.subtle.generateKey(ecdsa, true, ["sign", "verify"]);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${commonName}, O=adlkit`,
    notBefore: new Date(now - 3600_000),
    notAfter: new Date(now + 10 * YEAR_MS),
    keys,
    signingAlgorithm: ecdsa,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: `${cert.toString("pem").trim()}\n`, keyPem: await exportKeyPem(keys.privateKey) };
}

/** A TLS server certificate signed by `ca`, for the given DNS names and IP addresses. */
export async function createServerCertificate(
  ca: PemPair,
  dnsNames: string[],
  ips: string[],
): Promise<PemPair> {
  const caCert = new x509.X509Certificate(ca.certPem);
  const caKey = await importPkcs8(ca.keyPem, ecdsa);
  const keys = await webcrypto.subtle.generateKey(ecdsa, true, ["sign", "verify"]);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${dnsNames[0] ?? "localhost"}`,
    issuer: caCert.subject,
    notBefore: new Date(now - 3600_000),
    // Under 398 days, the limit clients enforce for server certificates.
    notAfter: new Date(now + 390 * 24 * 3600 * 1000),
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: ecdsa,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement,
        true,
      ),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...dnsNames.map((value) => ({ type: "dns" as const, value })),
        ...ips.map((value) => ({ type: "ip" as const, value })),
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  return { certPem: `${cert.toString("pem").trim()}\n`, keyPem: await exportKeyPem(keys.privateKey) };
}

/** A self-signed RSA-2048 certificate: Entra app credentials and token-signing keys are RSA. */
export async function createRsaSelfSigned(commonName: string, years = 2): Promise<PemPair> {
  const keys = await webcrypto.subtle.generateKey(rsa, true, ["sign", "verify"]);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${commonName}`,
    notBefore: new Date(now - 3600_000),
    notAfter: new Date(now + years * YEAR_MS),
    keys,
    signingAlgorithm: rsa,
    extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true)],
  });
  return { certPem: `${cert.toString("pem").trim()}\n`, keyPem: await exportKeyPem(keys.privateKey) };
}

async function importPkcs8(
  pem: string,
  algorithm: webcrypto.EcKeyImportParams,
): Promise<webcrypto.CryptoKey> {
  const body = pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "");
  return webcrypto.subtle.importKey("pkcs8", Buffer.from(body, "base64"), algorithm, false, ["sign"]);
}

/** DER bytes of the first certificate in a PEM string. */
export function pemToDer(pem: string): Buffer {
  const match = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(pem);
  if (!match) throw new Error("not a PEM certificate");
  return Buffer.from(match[1]!.replace(/\s+/g, ""), "base64");
}

/** base64url SHA-1 (`x5t`) and SHA-256 (`x5t#S256`) thumbprints, plus hex forms as the Azure portal shows them. */
export function thumbprints(certPem: string): {
  x5t: string;
  x5tS256: string;
  sha1Hex: string;
  sha256Hex: string;
} {
  const der = pemToDer(certPem);
  const sha1 = createHash("sha1").update(der).digest();
  const sha256 = createHash("sha256").update(der).digest();
  return {
    x5t: sha1.toString("base64url"),
    x5tS256: sha256.toString("base64url"),
    sha1Hex: sha1.toString("hex").toUpperCase(),
    sha256Hex: sha256.toString("hex").toUpperCase(),
  };
}
