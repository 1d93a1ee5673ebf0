import type { StorageAccountInfo } from "../arm/storage/registry.js";
import {
  authenticationFailed,
  keyBasedAuthenticationNotPermitted,
  quoteForError,
  type StorageAuthError,
  sharedKeyMismatch,
} from "./errors.js";
import { compareHeaderNames, type HeaderOrder } from "./header-order.js";
import type { ParsedRequest } from "./request.js";
import { matchesAnyKey } from "./signature.js";

/**
 * `Authorization: SharedKey {account}:{signature}` on the Blob and DFS endpoints (§1.2 of the Gen2 reference):
 * HMAC-SHA256 with account key1 or key2 over the service's string-to-sign. The service's canonical form comes
 * first; the few places where the official clients canonicalise differently (header sort order, query
 * parameters without a value, the `Date` slot, the account segment of path-style URLs) are tried as variants,
 * so that every client that works against Azure works here, and nothing that fails against Azure for a wrong
 * key or a tampered request passes.
 */

/** How far `x-ms-date`/`Date` may be from the server's clock, either way. */
export const SHARED_KEY_CLOCK_SKEW_MS = 15 * 60 * 1000;

/** Since this version a zero Content-Length is signed as an empty line (older versions sign "0"). */
const EMPTY_ZERO_LENGTH_SINCE = "2015-02-21";

export interface SharedKeyIdentity {
  readonly kind: "sharedKey";
  /** Which key verified the request: for the journal, never the key itself. */
  readonly keyName: "key1" | "key2";
}

type QueryStyle = "service" | "js" | "python";

interface Variant {
  readonly order: HeaderOrder;
  readonly dropEmptyHeaders: boolean;
  readonly query: QueryStyle;
  /** Sign the `Date` header's value even when `x-ms-date` is present (what the JS and Python clients do). */
  readonly clientDateSlot: boolean;
  /** Path style: sign `/{account}/{fs}/…` instead of `/{account}/{account}/{fs}/…` (Azurite accepts both). */
  readonly stripAccountSegment: boolean;
}

const SERVICE_VARIANT: Variant = {
  order: "culture",
  dropEmptyHeaders: false,
  query: "service",
  clientDateSlot: false,
  stripAccountSegment: false,
};

function standardHeaders(parsed: ParsedRequest, clientDateSlot: boolean): string[] {
  const h = parsed.headers;
  const version = h.get("x-ms-version");
  let length = h.get("content-length") ?? "";
  if (length === "0" && (version === undefined || version >= EMPTY_ZERO_LENGTH_SINCE)) length = "";
  const date = clientDateSlot || !h.has("x-ms-date") ? (h.get("date") ?? "") : "";
  return [
    h.get("content-encoding") ?? "",
    h.get("content-language") ?? "",
    length,
    h.get("content-md5") ?? "",
    h.get("content-type") ?? "",
    date,
    h.get("if-modified-since") ?? "",
    h.get("if-match") ?? "",
    h.get("if-none-match") ?? "",
    h.get("if-unmodified-since") ?? "",
    h.get("range") ?? "",
  ];
}

function canonicalizedHeaders(parsed: ParsedRequest, order: HeaderOrder, dropEmpty: boolean): string {
  const entries: Array<[string, string]> = [];
  for (const [name, value] of parsed.headers) {
    if (!name.startsWith("x-ms-")) continue;
    const v = value.trimStart();
    if (dropEmpty && v === "") continue;
    entries.push([name, v]);
  }
  entries.sort((a, b) => compareHeaderNames(order, a[0], b[0]));
  return entries.map(([n, v]) => `${n}:${v}\n`).join("");
}

function ordinal(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `\nname:value` lines of the canonicalized resource, the way the service or one of the clients builds them. */
function canonicalizedQuery(parsed: ParsedRequest, style: QueryStyle): string {
  if (style === "service") {
    // Every parameter, names lower-cased, repeated names with their sorted values comma-joined.
    const byName = new Map<string, string[]>();
    for (const p of parsed.query) {
      const name = p.name.toLowerCase();
      byName.set(name, [...(byName.get(name) ?? []), p.value]);
    }
    return [...byName.keys()]
      .sort(ordinal)
      .map((n) => `\n${n}:${byName.get(n)!.sort(ordinal).join(",")}`)
      .join("");
  }
  // The clients keep the last value of a repeated name. JS skips parameters without a value or with a second
  // "=" and does not decode names; Python keeps them all and sorts by the name as sent, then lower-cases it.
  const last = new Map<string, string>();
  for (const p of parsed.query) {
    if (style === "js" && (p.rawValue === undefined || p.rawValue === "" || p.rawValue.includes("=")))
      continue;
    last.set(p.rawName, p.value);
  }
  const names = [...last.keys()];
  if (style === "js") {
    const lowered = new Map<string, string>();
    for (const n of names) lowered.set(n.toLowerCase(), last.get(n)!);
    return [...lowered.keys()]
      .sort(ordinal)
      .map((n) => `\n${n}:${lowered.get(n)}`)
      .join("");
  }
  return names
    .sort(ordinal)
    .map((n) => `\n${n.toLowerCase()}:${last.get(n)}`)
    .join("");
}

function canonicalizedResource(parsed: ParsedRequest, account: string, variant: Variant): string {
  let path = parsed.rawPath;
  if (variant.stripAccountSegment) {
    const rest = path.slice(account.length + 1);
    path = rest === "" ? "/" : rest;
  }
  return `/${account}${path}${canonicalizedQuery(parsed, variant.query)}`;
}

export function sharedKeyStringToSign(
  parsed: ParsedRequest,
  account: string,
  variant = SERVICE_VARIANT,
): string {
  return [
    parsed.request.method.toUpperCase(),
    ...standardHeaders(parsed, variant.clientDateSlot),
    canonicalizedHeaders(parsed, variant.order, variant.dropEmptyHeaders) +
      canonicalizedResource(parsed, account, variant),
  ].join("\n");
}

/** The distinct strings-to-sign worth trying for this request, the service's first. */
function candidateStrings(parsed: ParsedRequest, account: string): string[] {
  const h = parsed.headers;
  const orders: HeaderOrder[] = ["culture", "python", "ordinal"];
  const emptyHeader = [...h].some(([n, v]) => n.startsWith("x-ms-") && v.trim() === "");
  const bothDates = h.has("x-ms-date") && h.has("date");
  const firstSegment = parsed.rawPath.split("/")[1] ?? "";
  const accountInPath = parsed.request.pathStyle && firstSegment.toLowerCase() === account;
  const out = new Set<string>();
  for (const order of orders)
    for (const dropEmptyHeaders of emptyHeader ? [false, true] : [false])
      for (const query of ["service", "js", "python"] as const)
        for (const clientDateSlot of bothDates ? [false, true] : [false])
          for (const stripAccountSegment of accountInPath ? [false, true] : [false])
            out.add(
              sharedKeyStringToSign(parsed, account, {
                order,
                dropEmptyHeaders,
                query,
                clientDateSlot,
                stripAccountSegment,
              }),
            );
  return [...out];
}

/** Checks `x-ms-date` (or `Date`) against the server's clock. */
function checkDate(parsed: ParsedRequest, now: Date): StorageAuthError | undefined {
  const raw = parsed.headers.get("x-ms-date") ?? parsed.headers.get("date");
  if (raw === undefined || raw.trim() === "")
    return authenticationFailed("Request date header not specified. Send x-ms-date (RFC 1123).");
  const at = Date.parse(raw);
  if (!Number.isFinite(at) || !/GMT$/i.test(raw.trim()))
    return authenticationFailed(
      `The date header '${quoteForError(raw, 64)}' is not an RFC 1123 date in GMT.`,
    );
  if (now.getTime() - at > SHARED_KEY_CLOCK_SKEW_MS)
    return authenticationFailed(`Request date header too old: '${quoteForError(raw, 64)}'.`);
  if (at - now.getTime() > SHARED_KEY_CLOCK_SKEW_MS)
    return authenticationFailed(`Request date header is in the future: '${quoteForError(raw, 64)}'.`);
  return undefined;
}

/** Verifies a request whose Authorization header starts with `SharedKey` (or `SharedKeyLite`). */
export function verifySharedKey(
  parsed: ParsedRequest,
  authorization: string,
  account: StorageAccountInfo,
  now: Date,
): SharedKeyIdentity | StorageAuthError {
  const match = /^(SharedKey|SharedKeyLite) ([^:\s]+):(\S+)$/.exec(authorization.trim());
  if (!match)
    return authenticationFailed("The Authorization header is not 'SharedKey {account}:{signature}'.");
  const [, scheme, name, signature] = match as unknown as [string, string, string, string];
  if (!account.allowSharedKeyAccess) return keyBasedAuthenticationNotPermitted();
  if (scheme === "SharedKeyLite")
    return authenticationFailed(
      "SharedKeyLite is not served by this emulator (no official client sends it); sign with SharedKey.",
    );
  if (name.toLowerCase() !== account.name)
    return authenticationFailed(
      `The account name in the Authorization header ('${quoteForError(name, 64)}') is not the account addressed ('${account.name}').`,
    );
  const dateError = checkDate(parsed, now);
  if (dateError) return dateError;
  const candidates = candidateStrings(parsed, account.name);
  for (const stringToSign of candidates) {
    const keyName = matchesAnyKey(account, stringToSign, signature);
    if (keyName) return { kind: "sharedKey", keyName };
  }
  return sharedKeyMismatch(candidates[0]!);
}
