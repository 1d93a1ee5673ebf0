import picomatch from "picomatch";
import type { FsBackend } from "../backend.js";
import { normalizePath } from "../paths.js";
import type { FileStatus, OperationOptions } from "../types.js";

/**
 * Shell-style patterns on paths, matched by picomatch: `*` and `?` stay within a segment, `**` spans segments
 * (none included), `[abc]`, `[!a-z]` classes, `{a,b}` alternatives (nested too, with wildcards inside).
 * Matching is case-sensitive, as paths are, and `*` matches names starting with a dot. `(`, `)` and `|` are
 * taken literally (no extglobs: they are ordinary characters in file names); `\` escapes the next character.
 */
export function globToRegExp(pattern: string): RegExp {
  return picomatch.makeRe(literalParens(pattern), { dot: true, noextglob: true });
}

/** `(`, `)` and `|` escaped (picomatch reads them as regular-expression groups), `[!` as `[^`. */
function literalParens(pattern: string): string {
  return pattern.replace(/(?<!\\)[()|]/g, "\\$&").replace(/\[!/g, "[^");
}

/** The part of a pattern before its first wildcard segment: where to start walking. */
export function globBase(pattern: string): string {
  const { base, isGlob } = picomatch.scan(pattern);
  return isGlob ? base || "/" : pattern;
}

/** How deep below the base a pattern can match; Infinity with `**` or a brace holding a `/`. */
export function globDepth(pattern: string): number {
  const { glob, isGlob } = picomatch.scan(pattern);
  if (!isGlob) return 0;
  if (glob.includes("**") || /\{[^}]*\/[^}]*\}/.test(glob)) return Number.POSITIVE_INFINITY;
  return glob.split("/").filter(Boolean).length;
}

/**
 * Entries whose absolute path matches `pattern`, found by walking from its base no deeper than it can match
 * (`walk` lists a directory tree, depth-first). A pattern without wildcards is one GETFILESTATUS.
 */
export async function* glob(
  fs: FsBackend,
  walk: (base: string, maxDepth: number) => AsyncIterable<FileStatus>,
  pattern: string,
  options: OperationOptions = {},
): AsyncGenerator<FileStatus> {
  const absolute = normalizePath(pattern);
  const base = normalizePath(globBase(absolute));
  if (base === absolute) {
    const status = await fs.tryGetStatus(base, options);
    if (status) yield status;
    return;
  }
  const regexp = globToRegExp(absolute);
  for await (const entry of walk(base, globDepth(absolute))) {
    if (regexp.test(entry.path)) yield entry;
  }
}
