import { invalidArgument } from "./options.js";

/**
 * Filesystem paths. The client works with absolute, normalised paths (`/a/b`, root `/`) and percent-encodes
 * each segment for the URL itself, so names with spaces, `+`, `#`, `?`, `%` or non-ASCII characters round-trip.
 */

/** `a//b/./c/` → `/a/b/c`; `""` → `/`. Rejects `..` segments, which the service refuses. */
export function normalizePath(path: string): string {
  if (typeof path !== "string") throw invalidArgument("path", `must be a string, got ${typeof path}`);
  const segments: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..")
      throw invalidArgument("path", `'${path}' contains a '..' segment; use an absolute path.`);
    segments.push(segment);
  }
  return `/${segments.join("/")}`;
}

/**
 * The URL form of a path: every segment percent-encoded as UTF-8, separators kept. Unlike
 * `encodeURIComponent`, this also escapes `!'()*` so no proxy or server can reinterpret them; `+` becomes `%2B`
 * because the service must not read it as a space.
 */
export function encodePath(path: string): string {
  const normalized = normalizePath(path);
  if (normalized === "/") return "/";
  return normalized
    .split("/")
    .map((segment) =>
      encodeURIComponent(segment).replace(
        /[!'()*]/g,
        (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
      ),
    )
    .join("/");
}

export function joinPath(...parts: string[]): string {
  return normalizePath(parts.join("/"));
}

/** Parent of a path; the root is its own parent. */
export function parentPath(path: string): string {
  const normalized = normalizePath(path);
  const index = normalized.lastIndexOf("/");
  return index <= 0 ? "/" : normalized.slice(0, index);
}

/** Last segment; `""` for the root. */
export function baseName(path: string): string {
  const normalized = normalizePath(path);
  return normalized.slice(normalized.lastIndexOf("/") + 1);
}
