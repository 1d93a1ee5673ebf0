import type { RequestContext } from "../http/context.js";
import { invalidQuery } from "./arm-error.js";

/** A query parameter by name, case-insensitively (`$skipToken` and `$skiptoken` are both seen in the wild). */
export function queryParam(url: URL, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of url.searchParams) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

function positiveInteger(url: URL, name: string): number | undefined {
  const raw = queryParam(url, name);
  if (raw === undefined) return undefined;
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1) throw invalidQuery(name, `'${raw}' is not an integer >= 1.`);
  return Number(raw);
}

export interface Page<T> {
  value: T[];
  nextLink?: string;
}

/**
 * One page of a list, ARM style. Items must be sorted by `keyOf`; the continuation token carries the last
 * key served (not an offset), so items created or deleted between pages neither repeat nor vanish.
 * Page size: `$top` when given, capped by `config.arm.pageSize` (read now: it can change at run time).
 * `$skip` applies to the first page only. `nextLink` is absolute, keeps the caller's query (api-version,
 * `$top`, filters) and adds `$skipToken`; the last page has none.
 */
export function pageOf<T, R>(
  ctx: RequestContext,
  items: readonly T[],
  keyOf: (item: T) => string,
  render: (item: T) => R,
): Page<R> {
  const { url } = ctx;
  const top = positiveInteger(url, "$top");
  const skip = positiveInteger(url, "$skip");
  const pageSize = Math.min(top ?? Number.POSITIVE_INFINITY, ctx.services.config.arm.pageSize);
  const token = queryParam(url, "$skipToken");

  let start = 0;
  if (token !== undefined) {
    const after = decodeToken(token);
    start = items.findIndex((item) => keyOf(item) > after);
    if (start < 0) start = items.length;
  } else if (skip !== undefined) {
    start = Math.min(skip, items.length);
  }
  const slice = items.slice(start, start + pageSize);
  const page: Page<R> = { value: slice.map(render) };
  if (start + pageSize < items.length && slice.length > 0) {
    page.nextLink = nextLinkFor(ctx, keyOf(slice[slice.length - 1]!));
  }
  return page;
}

function nextLinkFor(ctx: RequestContext, lastKey: string): string {
  const next = new URL(ctx.url.pathname, ctx.baseUrl);
  for (const [key, value] of ctx.url.searchParams) {
    const lower = key.toLowerCase();
    if (lower !== "$skiptoken" && lower !== "$skip") next.searchParams.append(key, value);
  }
  next.searchParams.append(
    "$skipToken",
    Buffer.from(JSON.stringify({ after: lastKey })).toString("base64url"),
  );
  return next.toString();
}

function decodeToken(token: string): string {
  try {
    const decoded = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { after?: unknown };
    if (typeof decoded.after === "string") return decoded.after;
  } catch {
    // fall through to the error below
  }
  throw invalidQuery("$skipToken", "the continuation token is not one this service issued.");
}
