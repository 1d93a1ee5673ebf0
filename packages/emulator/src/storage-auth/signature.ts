import { createHmac, timingSafeEqual } from "node:crypto";
import type { StorageAccountInfo } from "../arm/storage/registry.js";

/**
 * The one HMAC of Shared Key and SAS: Base64(HMAC-SHA256(key, UTF-8 string-to-sign)), compared in constant time.
 * Keys and signatures stay inside this module: callers learn only whether (and with which key name) it matched.
 */

export function hmacSha256(key: Buffer, stringToSign: string): Buffer {
  return createHmac("sha256", key).update(stringToSign, "utf8").digest();
}

/** Strict base64 of exactly 32 bytes (an HMAC-SHA256), or undefined. */
function decodeSignature(signature: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]{43}=$/.test(signature)) return undefined;
  return Buffer.from(signature, "base64");
}

/** True when `signature` (base64, as sent) is the HMAC of `stringToSign` with `key`; constant time. */
export function signatureMatches(key: Buffer, stringToSign: string, signature: string): boolean {
  const sent = decodeSignature(signature);
  if (!sent) return false;
  return timingSafeEqual(hmacSha256(key, stringToSign), sent);
}

/** Which account key, if any, signed `stringToSign`. Both keys are always computed, so timing tells nothing. */
export function matchesAnyKey(
  account: StorageAccountInfo,
  stringToSign: string,
  signature: string,
): "key1" | "key2" | undefined {
  const k1 = signatureMatches(Buffer.from(account.keys.key1, "base64"), stringToSign, signature);
  const k2 = signatureMatches(Buffer.from(account.keys.key2, "base64"), stringToSign, signature);
  return k1 ? "key1" : k2 ? "key2" : undefined;
}
