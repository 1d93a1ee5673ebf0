/**
 * Turns a raw WebHDFS request target into what the operations work with: the prefix, a normalised absolute
 * path (protocol §1.3) and a case-insensitive query multimap (§1.4). Pure; every refusal is a `PathError`.
 */

/** Longest name (one path segment) in UTF-8 bytes, as HDFS allows. */
export const MAX_NAME_BYTES = 255;
/** Longest normalised path in characters. */
export const MAX_PATH_CHARS = 8000;

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
  return segments;
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

  /** A non-negative integer parameter, or undefined when absent. */
  integer(name: string, options: { min?: number } = {}): number | undefined {
    const value = this.get(name);
    if (value === undefined || value === "") return undefined;
    if (!/^-?\d{1,16}$/.test(value))
      throw new PathError(`Parameter ${name} must be an integer, got '${value}'.`);
    const number = Number(value);
    if (number < (options.min ?? 0))
      throw new PathError(`Parameter ${name} must be at least ${options.min ?? 0}, got ${number}.`);
    return number;
  }
}

function formDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    throw new PathError("The query string is not valid percent-encoded UTF-8.");
  }
}
