/**
 * The orders in which Shared Key clients sort the canonicalized `x-ms-*` headers. The service sorts them the
 * way .NET compares strings in the en-US culture: hyphens and apostrophes are ignored at first, punctuation
 * comes before digits and digits before letters. The JS SDK imitates that with collation tables, Python with
 * its own alphabet (hyphen first, not ignored), ABFS sorts ordinally. All agree on ordinary headers and differ
 * only for exotic names (`x-ms-meta-a_b` against `x-ms-meta-a1`), so a verifier tries each order.
 */

export type HeaderOrder = "culture" | "python" | "ordinal";

/** Primary weights of the characters a header name may hold (an HTTP token), in ascending order, en-US. */
const CULTURE_ORDER = "!#$%&*.^_`|~+0123456789abcdefghijklmnopqrstuvwxyz";
/** Characters the culture-aware comparison skips at its first level. */
const CULTURE_IGNORED = new Set(["-", "'"]);
/** The Python SDK's alphabet (`_storage_header_sort`), lower-case names only. */
const PYTHON_ORDER = "-!#$%&*.^_|~+\"'(),/`0123456789:;<=>?@abcdefghijklmnopqrstuvwxyz[]{}";

function weightIn(order: string, ch: string): number {
  const i = order.indexOf(ch.toLowerCase());
  // Anything outside the table sorts after it, by code point: names are tokens, so this is only a safety net.
  return i >= 0 ? i : order.length + ch.charCodeAt(0);
}

function compareWeights(a: string, b: string, order: string, ignored?: Set<string>): number {
  const wa = [...a].filter((c) => !ignored?.has(c)).map((c) => weightIn(order, c));
  const wb = [...b].filter((c) => !ignored?.has(c)).map((c) => weightIn(order, c));
  const n = Math.min(wa.length, wb.length);
  for (let i = 0; i < n; i++) if (wa[i] !== wb[i]) return wa[i]! - wb[i]!;
  return wa.length - wb.length;
}

function ordinal(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareHeaderNames(order: HeaderOrder, a: string, b: string): number {
  switch (order) {
    case "culture":
      // Equal at the first level (they differ only in ignored characters): ordinal decides, which is what the
      // culture's later levels amount to for ASCII names.
      return compareWeights(a, b, CULTURE_ORDER, CULTURE_IGNORED) || ordinal(a, b);
    case "python":
      return compareWeights(a, b, PYTHON_ORDER) || ordinal(a, b);
    case "ordinal":
      return ordinal(a, b);
  }
}
