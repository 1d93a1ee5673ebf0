import { tryDecodeURIComponent } from "../http/decode.js";
import { storageErrors } from "./errors.js";

/**
 * The path of a Gen2 URL after the account: the filesystem, then the path inside it (reference §0.7). Clients
 * encode differently (JS keeps `/`, Python sends `%2F`), so the rest is decoded first and then split; `.` and
 * `..` resolve as the service resolves them (`..` above the filesystem's root stays at the root).
 */

/** Longest path inside a filesystem (characters), as the service allows. */
export const MAX_PATH_CHARS = 1024;
/** Most segments in a path, as the Blob naming rules allow. */
export const MAX_PATH_SEGMENTS = 254;
/** Longest segment (characters). */
export const MAX_SEGMENT_CHARS = 255;

const FILESYSTEM_NAME = /^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/;

export interface StoragePath {
  /** "" for the account itself. */
  filesystem: string;
  segments: string[];
}

/** Splits a raw (still percent-encoded) path such as `/fs/dir%2Ffile` into filesystem and segments. */
export function parseStoragePath(rawPath: string): StoragePath {
  const trimmed = rawPath.replace(/^\/+/, "");
  if (trimmed === "") return { filesystem: "", segments: [] };
  const slash = trimmed.indexOf("/");
  const rawName = slash < 0 ? trimmed : trimmed.slice(0, slash);
  const filesystem = tryDecodeURIComponent(rawName);
  if (filesystem === undefined)
    throw storageErrors.invalidUri("The path is not valid percent-encoded UTF-8.");
  const rest = slash < 0 ? "" : tryDecodeURIComponent(trimmed.slice(slash + 1));
  if (rest === undefined) throw storageErrors.invalidUri("The path is not valid percent-encoded UTF-8.");
  return { filesystem, segments: resolveSegments(rest) };
}

/** Segments of a decoded path, `.` and `..` resolved, limits checked. */
export function resolveSegments(decoded: string): string[] {
  if (decoded.length > MAX_PATH_CHARS)
    throw storageErrors.invalidUri(`A path is at most ${MAX_PATH_CHARS} characters long.`);
  const segments: string[] = [];
  for (const segment of decoded.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      segments.pop();
      continue;
    }
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
    if (/[\u0000-\u001f\u007f\\]/.test(segment))
      throw storageErrors.invalidUri("A path may not contain control characters or backslashes.");
    if (segment.length > MAX_SEGMENT_CHARS)
      throw storageErrors.invalidUri(`A path segment is at most ${MAX_SEGMENT_CHARS} characters long.`);
    segments.push(segment);
  }
  if (segments.length > MAX_PATH_SEGMENTS)
    throw storageErrors.invalidUri(`A path has at most ${MAX_PATH_SEGMENTS} segments.`);
  return segments;
}

/** 400 InvalidResourceName unless `name` is a valid filesystem (container) name. */
export function checkFilesystemName(name: string): void {
  if (!FILESYSTEM_NAME.test(name))
    throw storageErrors.invalidResourceName(
      "Filesystem names are 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit.",
    );
}
