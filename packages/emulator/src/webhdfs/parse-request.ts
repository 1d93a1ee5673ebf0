/**
 * Turns a raw WebHDFS request target into what the operations work with: the prefix, a normalised absolute
 * path (protocol §1.3) and a case-insensitive query multimap (§1.4) whose numbers are range-checked here, and
 * nowhere else. Pure; every refusal is a `PathError` (a 400 IllegalArgumentException on the wire).
 */
import { parsePermission } from "../store/acl-spec.js";
import { MAX_TIME_MS } from "../store/metadata-store.js";

/** Longest name (one path segment) in UTF-8 bytes, as HDFS allows. */
export const MAX_NAME_BYTES = 255;
/** Longest normalised path in characters (HDFS's limit too). */
export const MAX_PATH_CHARS = 8000;
/** Most segments in a path, as HDFS allows: also bounds what one MKDIRS or CREATE can create. */
export const MAX_PATH_DEPTH = 1000;
/** Largest file offset or length: the largest integer stored exactly. */
export const MAX_FILE_BYTES = Number.MAX_SAFE_INTEGER;
const INT32_MAX = 2 ** 31 - 1;

/**
 * Every numeric query parameter of the filesystem, by lower-case name, with the range the service allows where
 * it is documented, else HDFS's (`-1` is HDFS's "leave unchanged" for SETTIMES). Times are epoch milliseconds up
 * to the end of year 9999. A parameter an operation ignores (`buffersize`, `blocksize`, `replication`) is
 * checked all the same, as WebHDFS does.
 */
const NUMERIC_PARAMETERS: ReadonlyMap<string, { name: string; min: number; max: number }> = new Map(
  [
    { name: "offset", min: 0, max: MAX_FILE_BYTES },
    { name: "length", min: 0, max: MAX_FILE_BYTES },
    { name: "listSize", min: 1, max: INT32_MAX },
    { name: "expireTime", min: 0, max: MAX_TIME_MS },
    { name: "modificationtime", min: -1, max: MAX_TIME_MS },
    { name: "accesstime", min: -1, max: MAX_TIME_MS },
    { name: "buffersize", min: 1, max: INT32_MAX },
    { name: "blocksize", min: 1, max: MAX_FILE_BYTES },
    { name: "replication", min: 1, max: 2 ** 15 - 1 },
  ].map((rule) => [rule.name.toLowerCase(), rule]),
);

export class PathError extends Error {
  override name = "PathError";
}

export type Prefix = "webhdfs" | "webhdfsext";

const PREFIX = /^\/(webhdfs\/v1|webhdfsext)(?=\/|$)/i;

/** Splits `/webhdfs/v1/...` or `/WebHdfsExt/...` (any case) into the prefix and the raw path after it. */
export function splitPrefix(rawPath: string): { prefix: Prefix; rest: string } | undefined {
  const match = PREFIX.exec(rawPath);
  if (!match) return undefined;
  return {
    prefix: match[1]!.toLowerCase() === "webhdfsext" ? "webhdfsext" : "webhdfs",
    rest: rawPath.slice(match[0].length),
  };
}

/**
 * Normalises a raw (still percent-encoded) path: decode as UTF-8 (a `+` stays a `+`), split on `/`, drop empty
 * and `.` segments, refuse `..`, control characters and over-long names. Returns the segments; `[]` is the root.
 */
export function normalisePath(raw: string): string[] {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    throw new PathError("The path is not valid percent-encoded UTF-8.");
  }
  return normaliseDecodedPath(decoded);
}

/** Normalises an already decoded path (from a query value or a body): `d/e` and `/d/e` are both rooted. */
export function normaliseDecodedPath(decoded: string): string[] {
  const segments: string[] = [];
  for (const segment of decoded.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") throw new PathError("The path may not contain '..' segments.");
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
    if (/[\u0000-\u001f\u007f]/.test(segment)) throw new PathError("The path contains a control character.");
    if (Buffer.byteLength(segment) > MAX_NAME_BYTES)
      throw new PathError(`A path segment is longer than ${MAX_NAME_BYTES} bytes.`);
    segments.push(segment);
  }
  if (segments.join("/").length + 1 > MAX_PATH_CHARS)
    throw new PathError(`The path is longer than ${MAX_PATH_CHARS} characters.`);
  if (segments.length > MAX_PATH_DEPTH)
    throw new PathError(`The path has more than ${MAX_PATH_DEPTH} segments.`);
  return segments;
}

/** An instant an operation computed (a relative expiry added to now), refused past the end of year 9999. */
export function checkInstant(name: string, ms: number): number {
  if (!Number.isSafeInteger(ms) || ms < 0 || ms > MAX_TIME_MS)
    throw new PathError(`${name} gives an instant after the end of year 9999 (${MAX_TIME_MS} ms).`);
  return ms;
}

export function pathString(segments: readonly string[]): string {
  return `/${segments.join("/")}`;
}

/** Query parameters by lower-cased name; values form-decoded (`+` is a space, as every client escapes `+`). */
export class QueryParams {
  readonly #values = new Map<string, string[]>();

  constructor(rawQuery: string) {
    for (const pair of rawQuery.split("&")) {
      if (pair === "") continue;
      const eq = pair.indexOf("=");
      const key = formDecode(eq < 0 ? pair : pair.slice(0, eq)).toLowerCase();
      const value = eq < 0 ? "" : formDecode(pair.slice(eq + 1));
      const list = this.#values.get(key);
      if (list) list.push(value);
      else this.#values.set(key, [value]);
    }
  }

  /** The first value of a parameter, matched case-insensitively. */
  get(name: string): string | undefined {
    return this.#values.get(name.toLowerCase())?.[0];
  }

  has(name: string): boolean {
    return this.#values.has(name.toLowerCase());
  }

  /** A boolean parameter: `true`/`True`/`TRUE`/`false`/… ; absent or empty gives the default. */
  boolean(name: string, fallback: boolean): boolean {
    const value = this.get(name);
    if (value === undefined || value === "") return fallback;
    const lower = value.toLowerCase();
    if (lower === "true") return true;
    if (lower === "false") return false;
    throw new PathError(`Parameter ${name} must be true or false, got '${value}'.`);
  }

  /** A numeric parameter (see NUMERIC_PARAMETERS), range-checked; undefined when absent or empty. */
  integer(name: string): number | undefined {
    const rule = NUMERIC_PARAMETERS.get(name.toLowerCase());
    if (!rule) throw new Error(`${name} is not a numeric parameter`);
    const value = this.get(name);
    if (value === undefined || value === "") return undefined;
    // Decimal digits only (no sign but "-", no exponent, no fraction); at most 16 digits keeps Number exact.
    const number = /^-?\d{1,16}$/.test(value) ? Number(value) : Number.NaN;
    if (!(number >= rule.min && number <= rule.max))
      throw new PathError(
        `Parameter ${rule.name} must be an integer from ${rule.min} to ${rule.max}, got '${value.slice(0, 40)}'.`,
      );
    return number === 0 ? 0 : number; // not -0
  }

  /** The `permission` parameter (1-4 octal digits, an optional leading sticky digit); undefined when absent. */
  permission(): { sticky: boolean; bits: number } | undefined {
    const text = this.get("permission");
    if (text === undefined || text === "") return undefined;
    const permission = parsePermission(text);
    if (!permission)
      throw new PathError(
        `Invalid permission '${text.slice(0, 40)}': expected 1-4 octal digits such as 770 or 1770.`,
      );
    return permission;
  }

  /**
   * Range-checks every numeric parameter present, whether or not the operation reads it, so that no number
   * outside its range gets past the parser. Called once per request, before the operation runs.
   */
  checkNumbers(): void {
    for (const { name } of NUMERIC_PARAMETERS.values()) this.integer(name);
    this.permission();
  }
}

function formDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    throw new PathError("The query string is not valid percent-encoded UTF-8.");
  }
}
