import { createHmac } from "node:crypto";

/** The standard headers Shared Key signs, in order, before the `x-ms-` ones (reference §1.2). */
const SIGNED = [
  "content-encoding",
  "content-language",
  "content-length",
  "content-md5",
  "content-type",
  "date",
  "if-modified-since",
  "if-match",
  "if-none-match",
  "if-unmodified-since",
  "range",
];

/**
 * A signer for core's `authorize` hook: Storage Shared Key (`SharedKey {account}:{HMAC-SHA256}`) over the
 * attempt's method, URL and headers, with a fresh `x-ms-date`. It runs for every attempt, so a retry (new date)
 * or a read that continues elsewhere (new query) carries its own signature. The key never leaves this closure.
 */
export function sharedKeySigner(
  account: string,
  accountKey: string,
): (attempt: { method: string; url: URL; headers: Record<string, string> }) => void {
  const key = Buffer.from(accountKey, "base64");
  return ({ method, url, headers }) => {
    headers["x-ms-date"] = new Date().toUTCString();
    const lower = new Map<string, string>();
    for (const [name, value] of Object.entries(headers)) lower.set(name.toLowerCase(), value);
    const standard = SIGNED.map((name) => {
      const value = lower.get(name) ?? "";
      // Since 2015-02-21 a zero length is signed as an empty line, as every SDK does.
      return name === "content-length" && value === "0" ? "" : value;
    });
    const msHeaders = [...lower]
      .filter(([name, value]) => name.startsWith("x-ms-") && value !== "")
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, value]) => `${name}:${value.trimStart()}\n`)
      .join("");
    const stringToSign = `${method.toUpperCase()}\n${standard.join("\n")}\n${msHeaders}${canonicalResource(account, url)}`;
    const signature = createHmac("sha256", key).update(stringToSign, "utf8").digest("base64");
    headers.authorization = `SharedKey ${account}:${signature}`;
  };
}

/** `/{account}{raw path}` then `\nname:values` per query parameter (names lower-cased and sorted). */
function canonicalResource(account: string, url: URL): string {
  const params = new Map<string, string[]>();
  for (const [name, value] of url.searchParams) {
    if (value === "") continue;
    const key = name.toLowerCase();
    params.set(key, [...(params.get(key) ?? []), value]);
  }
  const query = [...params.keys()]
    .sort()
    .map((name) => `\n${name}:${(params.get(name) as string[]).sort().join(",")}`)
    .join("");
  return `/${account}${url.pathname}${query}`;
}
