import { createHmac } from "node:crypto";
import {
  authenticationFailed,
  invalidXmlDocument,
  invalidXmlNodeValue,
  type StorageAuthError,
} from "./errors.js";
import { parseSasTime, type SasValues } from "./sas-fields.js";

/**
 * User delegation keys (Get User Delegation Key, §3.9 of the Gen2 reference): `POST /?restype=service&comp=
 * userdelegationkey`, bearer callers only. A key is not stored anywhere: its value is derived from a server
 * secret and everything the key is bound to (account, the caller's oid and tenant, start, expiry, service,
 * version), so a user delegation SAS is verified by deriving the key again from its `sk*` fields. Changing
 * any of those fields therefore changes the key and the signature fails; a new secret (new emulator data
 * directory) revokes every key, as "revoke user delegation keys" does in Azure.
 */

/** The service's cap on a key's lifetime. */
export const MAX_KEY_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
/** Bound on the KeyInfo body this parser reads (the real one is ~150 bytes). */
export const MAX_KEY_INFO_BYTES = 4096;

export interface UserDelegationKey {
  readonly signedOid: string;
  readonly signedTid: string;
  /** `YYYY-MM-DDThh:mm:ssZ` */
  readonly signedStart: string;
  readonly signedExpiry: string;
  readonly signedService: "b";
  readonly signedVersion: string;
  readonly signedDelegatedUserTid?: string;
  /** Base64 of the 32-byte key. A secret: only ever written into the Get User Delegation Key response. */
  readonly value: string;
}

export interface KeyInfo {
  /** Milliseconds since the epoch. */
  readonly start: number;
  readonly expiry: number;
  readonly delegatedUserTid?: string;
}

/** Seconds-precision ISO 8601 UTC, the form the service returns and the SDKs sign. */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

export class UserDelegationKeys {
  readonly #secret: Buffer;

  /** `secret`: at least 32 random bytes, kept by the emulator (persist it to keep SAS valid across restarts). */
  constructor(secret: Uint8Array) {
    if (secret.length < 32) throw new RangeError("the user delegation key secret needs at least 32 bytes");
    this.#secret = Buffer.from(secret);
  }

  #derive(
    account: string,
    f: { oid: string; tid: string; start: string; expiry: string; version: string; dutid?: string },
  ) {
    const material = JSON.stringify([
      "adlkit-udk-1",
      account,
      f.oid,
      f.tid,
      f.start,
      f.expiry,
      "b",
      f.version,
      f.dutid ?? "",
    ]);
    return createHmac("sha256", this.#secret).update(material, "utf8").digest();
  }

  /** The key for a bearer principal (`oid`, `tid` from its token) of `account`; `version` = request x-ms-version. */
  issue(
    account: string,
    principal: { oid: string; tid: string },
    info: KeyInfo,
    version: string,
  ): UserDelegationKey {
    const start = isoSeconds(info.start);
    const expiry = isoSeconds(info.expiry);
    const dutid = info.delegatedUserTid;
    const value = this.#derive(account, {
      oid: principal.oid,
      tid: principal.tid,
      start,
      expiry,
      version,
      dutid,
    });
    return {
      signedOid: principal.oid,
      signedTid: principal.tid,
      signedStart: start,
      signedExpiry: expiry,
      signedService: "b",
      signedVersion: version,
      ...(dutid ? { signedDelegatedUserTid: dutid } : {}),
      value: value.toString("base64"),
    };
  }

  /**
   * The key a user delegation SAS was signed with, re-derived from its `skoid sktid skt ske sks skv [skdutid]`,
   * or the refusal when the key itself is not valid now.
   */
  keyForSas(account: string, v: SasValues, now: Date): Buffer | StorageAuthError {
    const { skoid, sktid, skt, ske, sks, skv } = v;
    if (!skoid || !sktid || !skt || !ske || !sks || !skv)
      return authenticationFailed(
        "Signature fields not well formed. A user delegation SAS needs skoid, sktid, skt, ske, sks and skv.",
      );
    if (sks !== "b") return authenticationFailed("Signature fields not well formed. sks must be 'b'.");
    const start = parseSasTime(skt);
    const expiry = parseSasTime(ske);
    if (start === undefined || expiry === undefined || expiry <= start)
      return authenticationFailed(
        "Signature fields not well formed. skt and ske must be ISO 8601 times, skt before ske.",
      );
    if (now.getTime() < start || now.getTime() >= expiry)
      return authenticationFailed(
        `The user delegation key is not valid at the current time: Start [${skt}] - Expiry [${ske}].`,
      );
    const dutid = v.skdutid;
    return this.#derive(account, {
      oid: skoid,
      tid: sktid,
      start: isoSeconds(start),
      expiry: isoSeconds(expiry),
      version: skv,
      ...(dutid ? { dutid } : {}),
    });
  }
}

function xmlText(raw: string): string {
  return raw
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");
}

function xmlEscape(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * The request body `<KeyInfo><Start/>?<Expiry/><DelegatedUserTid/>?</KeyInfo>`: Start defaults to now; Expiry
 * must come after Start and at most seven days after now (the service's rules).
 */
export function parseKeyInfo(body: string, now: Date): KeyInfo | StorageAuthError {
  if (body.length > MAX_KEY_INFO_BYTES)
    return invalidXmlDocument(`KeyInfo bodies are at most ${MAX_KEY_INFO_BYTES} bytes.`);
  const doc = /^\s*(?:<\?xml[^?]*\?>)?\s*<KeyInfo>([\s\S]*)<\/KeyInfo>\s*$/.exec(body.replace(/^\uFEFF/, ""));
  if (!doc) return invalidXmlDocument("The body must be a <KeyInfo> element.");
  const fields = new Map<string, string>();
  const inner = doc[1]!;
  const element = /\s*<([A-Za-z]+)>([^<]*)<\/\1>\s*/y;
  let match: RegExpExecArray | null = element.exec(inner);
  while (match) {
    fields.set(match[1]!, xmlText(match[2]!).trim());
    if (element.lastIndex === inner.length) break;
    match = element.exec(inner);
  }
  if (inner.trim() !== "" && element.lastIndex !== inner.length)
    return invalidXmlDocument("KeyInfo holds only <Start>, <Expiry> and <DelegatedUserTid> elements.");
  const expiryRaw = fields.get("Expiry");
  if (expiryRaw === undefined) return invalidXmlNodeValue("Expiry", "Expiry is required.");
  const expiry = parseSasTime(expiryRaw);
  if (expiry === undefined) return invalidXmlNodeValue("Expiry", "Expiry must be an ISO 8601 UTC time.");
  const startRaw = fields.get("Start");
  const start = startRaw === undefined || startRaw === "" ? now.getTime() : parseSasTime(startRaw);
  if (start === undefined) return invalidXmlNodeValue("Start", "Start must be an ISO 8601 UTC time.");
  if (expiry <= start) return invalidXmlNodeValue("Expiry", "Expiry must be after Start.");
  if (expiry - now.getTime() > MAX_KEY_LIFETIME_MS)
    return invalidXmlNodeValue("Expiry", "Expiry must be within 7 days of the current time.");
  const dutid = fields.get("DelegatedUserTid");
  return { start, expiry, ...(dutid ? { delegatedUserTid: dutid } : {}) };
}

/** The 200 response body (`Content-Type: application/xml`). */
export function renderUserDelegationKey(key: UserDelegationKey): string {
  const dutid = key.signedDelegatedUserTid
    ? `<SignedDelegatedUserTid>${xmlEscape(key.signedDelegatedUserTid)}</SignedDelegatedUserTid>`
    : "";
  return (
    `<?xml version="1.0" encoding="utf-8"?><UserDelegationKey>` +
    `<SignedOid>${xmlEscape(key.signedOid)}</SignedOid><SignedTid>${xmlEscape(key.signedTid)}</SignedTid>` +
    `<SignedStart>${key.signedStart}</SignedStart><SignedExpiry>${key.signedExpiry}</SignedExpiry>` +
    `<SignedService>${key.signedService}</SignedService><SignedVersion>${xmlEscape(key.signedVersion)}</SignedVersion>` +
    `${dutid}<Value>${key.value}</Value></UserDelegationKey>`
  );
}
