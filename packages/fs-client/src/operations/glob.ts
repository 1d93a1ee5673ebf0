/**
 * Shell-style patterns on paths: `*` and `?` stay within a segment, `**` spans segments, `[abc]`/`[!a-z]`
 * are classes, `{a,b}` alternatives. Matching is case-sensitive, as paths are.
 */
export function globToRegExp(pattern: string): RegExp {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === "*") {
      if (pattern[i + 1] === "*") {
        const slashAfter = pattern[i + 2] === "/";
        source += slashAfter ? "(?:.*/)?" : ".*";
        i += slashAfter ? 2 : 1;
      } else source += "[^/]*";
    } else if (c === "?") source += "[^/]";
    else if (c === "[") {
      const close = pattern.indexOf("]", i + 2);
      if (close === -1) source += "\\[";
      else {
        let body = pattern.slice(i + 1, close).replace(/\\/g, "\\\\");
        if (body.startsWith("!")) body = `^${body.slice(1)}`;
        source += `[${body}]`;
        i = close;
      }
    } else if (c === "{") {
      const close = pattern.indexOf("}", i);
      if (close === -1) source += "\\{";
      else {
        source += `(?:${pattern
          .slice(i + 1, close)
          .split(",")
          .map(escapeText)
          .join("|")})`;
        i = close;
      }
    } else source += escapeText(c);
  }
  return new RegExp(`^${source}$`);
}

function escapeText(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/** The part of a pattern before its first wildcard segment: where to start walking. */
export function globBase(pattern: string): string {
  const segments = pattern.split("/");
  const base: string[] = [];
  for (const segment of segments) {
    if (/[*?[{]/.test(segment)) break;
    base.push(segment);
  }
  return base.join("/") || "/";
}

/** How deep below the base a pattern can match; Infinity with `**`. */
export function globDepth(pattern: string): number {
  if (pattern.includes("**")) return Number.POSITIVE_INFINITY;
  const all = pattern.split("/").filter(Boolean).length;
  const base = globBase(pattern).split("/").filter(Boolean).length;
  return all - base;
}
