import {
  authenticationFailed,
  protocolMismatch,
  quoteForError,
  type StorageAuthError,
  sasMalformed,
  sourceIpMismatch,
} from "./errors.js";
import { ipv4Of, type QueryParam, queryValue } from "./request.js";

/**
 * The SAS query parameters (§1.3 of the Gen2 reference), decoded, plus the checks that need no key: version,
 * times, IP range and protocol. Values are kept exactly as sent: the string-to-sign uses them verbatim.
 */

/** Every SAS parameter a string-to-sign may use; a missing one signs as an empty line. */
export const SAS_FIELDS = [
  "sv",
  "ss",
  "srt",
  "sp",
  "st",
  "se",
  "sip",
  "spr",
  "sr",
  "sdd",
  "si",
  "ses",
  "skoid",
  "sktid",
  "skt",
  "ske",
  "sks",
  "skv",
  "saoid",
  "suoid",
  "scid",
  "skdutid",
  "sduoid",
  "srh",
  "srq",
  "rscc",
  "rscd",
  "rsce",
  "rscl",
  "rsct",
  "snapshot",
  "versionid",
  "sig",
] as const;
export type SasField = (typeof SAS_FIELDS)[number];
export type SasValues = Readonly<Partial<Record<SasField, string>>>;

export type SasKind = "account" | "service" | "userDelegation";

/** Oldest `sv` served: the first with today's account and service SAS layouts. */
export const OLDEST_SAS_VERSION = "2015-04-05";

/** True when the query carries a SAS (a `sig`), whatever else it holds. */
export function hasSas(query: readonly QueryParam[]): boolean {
  return query.some((p) => p.name === "sig");
}

export function readSasValues(query: readonly QueryParam[]): SasValues {
  const values: Partial<Record<SasField, string>> = {};
  for (const field of SAS_FIELDS) {
    const v = queryValue(query, field);
    if (v !== undefined) values[field] = v;
  }
  return values;
}

/** Which kind of SAS the fields describe, or why they describe none. */
export function sasKindOf(v: SasValues): SasKind | StorageAuthError {
  if (!v.sv || !/^\d{4}-\d{2}-\d{2}$/.test(v.sv))
    return sasMalformed("sv is mandatory: a yyyy-mm-dd version.");
  if (v.sv < OLDEST_SAS_VERSION)
    return sasMalformed(
      `sv '${quoteForError(v.sv, 16)}' is older than ${OLDEST_SAS_VERSION}, the oldest served.`,
    );
  if (v.sr !== undefined) {
    if (v.ss !== undefined || v.srt !== undefined) return sasMalformed("sr cannot be combined with ss/srt.");
    return v.skoid !== undefined ? "userDelegation" : "service";
  }
  if (v.ss === undefined || v.srt === undefined)
    return sasMalformed("An account SAS needs ss and srt; a service SAS needs sr.");
  return "account";
}

/**
 * ISO 8601 UTC times as SAS fields carry them: `YYYY-MM-DD`, `YYYY-MM-DDThh:mmZ`, `YYYY-MM-DDThh:mm:ssZ` or
 * with up to seven fractional digits. Milliseconds since the epoch, or undefined when malformed.
 */
export function parseSasTime(raw: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?Z)?$/.exec(raw);
  if (!m) return undefined;
  const [y, mo, d, h = "0", mi = "0", s = "0", frac = ""] = m.slice(1).map((x) => x ?? undefined) as string[];
  const ms = Date.UTC(+y!, +mo! - 1, +d!, +h, +mi, +s, Math.floor(Number(`0.${frac || "0"}`) * 1000));
  const back = new Date(ms);
  // Reject dates that Date.UTC would roll over (Feb 30, hour 25, ...).
  if (back.getUTCMonth() !== +mo! - 1 || back.getUTCDate() !== +d! || back.getUTCHours() !== +h)
    return undefined;
  return ms;
}

/** `st`/`se`: the SAS is valid from st (inclusive; now when absent) to se (exclusive). No tolerance: the service
 * applies none either, which is why clients are told to back-date `st` by a few minutes. */
export function checkSasTimes(
  v: SasValues,
  now: Date,
  expiryRequired: boolean,
): StorageAuthError | undefined {
  const start = v.st === undefined ? undefined : parseSasTime(v.st);
  if (v.st !== undefined && start === undefined)
    return sasMalformed(`st '${quoteForError(v.st, 40)}' is not an ISO 8601 UTC time.`);
  if (v.se === undefined)
    return expiryRequired ? sasMalformed("se is mandatory. Cannot be empty.") : undefined;
  const expiry = parseSasTime(v.se);
  if (expiry === undefined)
    return sasMalformed(`se '${quoteForError(v.se, 40)}' is not an ISO 8601 UTC time.`);
  if (start !== undefined && expiry <= start)
    return authenticationFailed(`Signed expiry time [${v.se}] must be after signed start time [${v.st}]`);
  const t = now.getTime();
  if ((start !== undefined && t < start) || t >= expiry)
    return authenticationFailed(
      `Signature not valid in the specified time frame: Start [${v.st ?? ""}] - Expiry [${v.se}] - Current [${now.toUTCString()}]`,
    );
  return undefined;
}

function ipToNumber(ip: string): number | undefined {
  const parts = ip.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

/** Validates `sip` (an IPv4 address or `low-high` range) without looking at the caller. */
export function checkSipFormat(v: SasValues): StorageAuthError | undefined {
  if (v.sip === undefined) return undefined;
  const [low, high, extra] = v.sip.split("-");
  const lo = ipToNumber(low ?? "");
  const hi = high === undefined ? lo : ipToNumber(high);
  if (extra !== undefined || lo === undefined || hi === undefined || hi < lo)
    return sasMalformed(`sip '${quoteForError(v.sip, 40)}' is not an IPv4 address or range.`);
  return undefined;
}

export function checkSourceIp(v: SasValues, clientIp: string): StorageAuthError | undefined {
  if (v.sip === undefined) return undefined;
  const [low, high] = v.sip.split("-");
  const lo = ipToNumber(low!)!;
  const hi = high === undefined ? lo : ipToNumber(high)!;
  const ip = ipv4Of(clientIp);
  const n = ip === undefined ? undefined : ipToNumber(ip);
  if (n === undefined || n < lo || n > hi) return sourceIpMismatch(ip ?? clientIp);
  return undefined;
}

/** `spr`: `https` or `https,http` (absent: both). */
export function checkProtocol(v: SasValues, secure: boolean): StorageAuthError | undefined {
  if (v.spr === undefined) return undefined;
  if (v.spr !== "https" && v.spr !== "https,http")
    return sasMalformed(`spr '${quoteForError(v.spr, 20)}' is neither 'https' nor 'https,http'.`);
  if (v.spr === "https" && !secure) return protocolMismatch();
  return undefined;
}
