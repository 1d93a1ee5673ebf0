import type { IncomingHttpHeaders } from "node:http";
import { parsePermission } from "../store/acl.js";
import { storageErrors } from "./errors.js";

/**
 * Query parameters and headers of a Gen2 request, read in one place: every number is range-checked here before
 * anything uses it (the table below, like the Gen1 one in webhdfs/parse-request.ts), and every refusal is the
 * service's 400 naming the parameter or header.
 */

/** Largest file offset or length: the largest integer stored exactly. */
export const MAX_FILE_BYTES = Number.MAX_SAFE_INTEGER - 1;
const INT32_MAX = 2 ** 31 - 1;

/** Numeric query parameters (names lower-cased: DFS `maxResults` and Blob `maxresults` are one rule). */
const NUMERIC_QUERY: ReadonlyMap<string, { min: number; max: number }> = new Map([
  ["position", { min: 0, max: MAX_FILE_BYTES }],
  ["maxresults", { min: 1, max: 5000 }],
  // setAccessControlRecursive: more than its 2,000 items per request is taken as 2,000 (reference §2.6).
  ["maxrecords", { min: 1, max: INT32_MAX }],
  ["timeout", { min: 0, max: INT32_MAX }],
]);

export class StorageQuery {
  readonly #values = new Map<string, string>();

  constructor(search: URLSearchParams) {
    for (const [key, value] of search) {
      const name = key.toLowerCase();
      if (!this.#values.has(name)) this.#values.set(name, value);
    }
  }

  get(name: string): string | undefined {
    return this.#values.get(name.toLowerCase());
  }

  has(name: string): boolean {
    return this.#values.has(name.toLowerCase());
  }

  /** A boolean: `true`/`false` in any case; absent or empty gives the default. */
  boolean(name: string, fallback: boolean): boolean {
    const value = this.get(name);
    if (value === undefined || value === "") return fallback;
    if (value.toLowerCase() === "true") return true;
    if (value.toLowerCase() === "false") return false;
    throw storageErrors.invalidQuery(name, value, `${name} must be true or false.`);
  }

  /** A numeric parameter of the table, range-checked; undefined when absent. */
  integer(name: string): number | undefined {
    const rule = NUMERIC_QUERY.get(name.toLowerCase());
    if (!rule) throw new Error(`${name} is not a numeric query parameter`);
    const value = this.get(name);
    if (value === undefined) return undefined;
    return checkedInteger(value, rule, (why) => storageErrors.invalidQuery(name, value, why), name);
  }

  /** Range-checks every numeric parameter present, whether or not the operation reads it. */
  checkNumbers(): void {
    for (const name of NUMERIC_QUERY.keys()) this.integer(name);
  }
}

function checkedInteger(
  value: string,
  rule: { min: number; max: number },
  fail: (why: string) => Error,
  name: string,
): number {
  // Decimal digits only, at most 16 (exact as a Number); then the range.
  const number = /^-?\d{1,16}$/.test(value) ? Number(value) : Number.NaN;
  if (!(number >= rule.min && number <= rule.max))
    throw fail(`${name} must be an integer from ${rule.min} to ${rule.max}.`);
  return number === 0 ? 0 : number;
}

/** A header's value (the first, when repeated); undefined when absent. */
export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** `x-ms-permissions`: `rwxr-x---` (sticky as `t`/`T` last) or 4-digit octal (`0750`, `1777`). */
export function parseSymbolicOrOctal(name: string, value: string): { sticky: boolean; bits: number } {
  const symbolic = /^([r-])([w-])([x-])([r-])([w-])([x-])([r-])([w-])([xtT-])\+?$/.exec(value);
  if (symbolic) {
    let bits = 0;
    for (let i = 1; i <= 9; i++) if (symbolic[i] !== "-" && symbolic[i] !== "T") bits |= 1 << (9 - i);
    if (symbolic[9] === "T") bits &= ~1;
    return { sticky: symbolic[9] === "t" || symbolic[9] === "T", bits };
  }
  const octal = /^[01][0-7]{3}$/.test(value) ? parsePermission(value) : undefined;
  if (!octal) throw storageErrors.invalidHeader(name, value, `${name} must look like rwxr-x--- or 0750.`);
  return octal;
}

/** `x-ms-umask`: 4-digit octal; the default 0027 when absent. */
export function parseUmask(value: string | undefined): number {
  if (value === undefined) return 0o027;
  if (!/^[0-7]{4}$/.test(value))
    throw storageErrors.invalidHeader("x-ms-umask", value, "x-ms-umask must be 4 octal digits such as 0027.");
  return Number.parseInt(value, 8) & 0o777;
}

/** A byte range `bytes=a-b` or `bytes=a-` (from `x-ms-range`, else `Range`); undefined when none was sent. */
export function parseRange(headers: IncomingHttpHeaders): { start: number; end?: number } | undefined {
  const name = header(headers, "x-ms-range") !== undefined ? "x-ms-range" : "range";
  const value = header(headers, name);
  if (value === undefined) return undefined;
  const match = /^bytes=(\d{1,16})-(\d{0,16})$/.exec(value.trim());
  if (!match) throw storageErrors.invalidHeader(name, value, "Ranges look like bytes=0-1023.");
  const start = Number(match[1]);
  const end = match[2] === "" ? undefined : Number(match[2]);
  if (start > MAX_FILE_BYTES || (end !== undefined && (end < start || end > MAX_FILE_BYTES)))
    throw storageErrors.invalidHeader(name, value, "The range's end must not be before its start.");
  return end === undefined ? { start } : { start, end };
}

/** `x-ms-properties`: `name=base64,name=base64` into names and decoded (UTF-8) values. */
export function parseProperties(value: string | undefined): Record<string, string> {
  const props: Record<string, string> = {};
  if (value === undefined || value.trim() === "") return props;
  for (const pair of value.split(",")) {
    const eq = pair.indexOf("=");
    const name = (eq < 0 ? pair : pair.slice(0, eq)).trim();
    const encoded = eq < 0 ? "" : pair.slice(eq + 1).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,255}$/.test(name))
      throw storageErrors.invalidHeader(
        "x-ms-properties",
        value,
        "Property names are letters, digits and underscores, not starting with a digit.",
      );
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded) || encoded.length % 4 !== 0)
      throw storageErrors.invalidHeader("x-ms-properties", value, `The value of ${name} is not base64.`);
    props[name] = Buffer.from(encoded, "base64").toString("utf8");
  }
  return props;
}

export function renderProperties(props: Record<string, string>): string {
  return Object.entries(props)
    .map(([name, value]) => `${name}=${Buffer.from(value, "utf8").toString("base64")}`)
    .join(",");
}

/** Blob metadata from `x-ms-meta-*` headers (names as C# identifiers; at most 8 KiB in all). */
export function parseMetadata(headers: IncomingHttpHeaders): Record<string, string> {
  const meta: Record<string, string> = {};
  let size = 0;
  for (const [raw, value] of Object.entries(headers)) {
    if (!raw.startsWith("x-ms-meta-")) continue;
    const name = raw.slice("x-ms-meta-".length);
    const text = Array.isArray(value) ? value.join(",") : (value ?? "");
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      throw storageErrors.invalidHeader(raw, text, "Metadata names must be valid C# identifiers.");
    size += name.length + text.length;
    meta[name] = text;
  }
  if (size > 8192) throw storageErrors.invalidInput("The metadata exceeds 8 KiB.");
  return meta;
}

/** Lease durations etc. are not served yet; every numeric header that is read goes through here. */
export function integerHeader(
  headers: IncomingHttpHeaders,
  name: string,
  rule: { min: number; max: number },
): number | undefined {
  const value = header(headers, name);
  if (value === undefined) return undefined;
  return checkedInteger(value, rule, (why) => storageErrors.invalidHeader(name, value, why), name);
}
