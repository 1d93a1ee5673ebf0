/**
 * Allow-list redaction for anything that goes into a log line or an error: URLs keep only query parameters
 * known to be harmless, headers only known-harmless names, and free text loses anything shaped like a
 * token or a secret.
 */
export const REDACTED = "REDACTED";

const SAFE_QUERY = new Set(
  [
    "api-version",
    "op",
    "offset",
    "length",
    "read",
    "write",
    "overwrite",
    "append",
    "recursive",
    "permission",
    "listsize",
    "listafter",
    "listbefore",
    "tooid",
    "syncflag",
    "leaseid",
    "filesessionid",
    "createparent",
    "destination",
    "expiryoption",
    "expiretime",
    "deletesourcedirectory",
    "sources",
    "owner",
    "group",
    "fsaction",
    "renameoptions",
    "$top",
    "$skiptoken",
    "$filter",
    "$expand",
    "resource",
    "scope",
    "grant_type",
    "client_id",
    "client-request-id",
    "client_assertion_type",
    "continuationtoken",
    "modificationtime",
    "accesstime",
    "blocksize",
    "buffersize",
    "replication",
    "aclspec",
  ].map((s) => s.toLowerCase()),
);

const SAFE_HEADERS = new Set(
  [
    "accept",
    "accept-encoding",
    "accept-language",
    "cache-control",
    "connection",
    "content-length",
    "content-type",
    "content-range",
    "date",
    "etag",
    "expires",
    "host",
    "if-match",
    "if-none-match",
    "keep-alive",
    "last-modified",
    "location",
    "pragma",
    "retry-after",
    "retry-after-ms",
    "x-ms-retry-after-ms",
    "server",
    "transfer-encoding",
    "user-agent",
    "x-ms-request-id",
    "x-ms-client-request-id",
    "x-ms-correlation-request-id",
    "x-ms-return-client-request-id",
    "client-request-id",
    "return-client-request-id",
    "azure-asyncoperation",
    "x-ms-ratelimit-remaining-subscription-reads",
    "x-ms-ratelimit-remaining-subscription-writes",
    "x-ms-ratelimit-remaining-subscription-deletes",
    "www-authenticate",
  ].map((s) => s.toLowerCase()),
);

/** A URL with its non-allow-listed query values replaced by REDACTED. Never throws. */
export function sanitizeUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    return redactText(String(url));
  }
  parsed.username = parsed.username ? REDACTED : "";
  parsed.password = parsed.password ? REDACTED : "";
  for (const key of [...new Set(parsed.searchParams.keys())]) {
    if (!SAFE_QUERY.has(key.toLowerCase())) parsed.searchParams.set(key, REDACTED);
  }
  return parsed.toString();
}

/**
 * A form body (`application/x-www-form-urlencoded`, as in a token request) with the values of fields that are
 * not allow-listed replaced: `client_secret` and `client_assertion` above all. Never throws.
 */
export function sanitizeForm(body: string): string {
  const fields = new URLSearchParams(body);
  return [...fields]
    .map(([key, value]) => `${key}=${SAFE_QUERY.has(key.toLowerCase()) ? redactText(value) : REDACTED}`)
    .join("&");
}

/** Headers with non-allow-listed values replaced (Authorization above all). */
export function sanitizeHeaders(
  headers: Headers | Record<string, string | string[] | undefined>,
): Record<string, string> {
  const entries: Array<[string, string]> =
    headers instanceof Headers
      ? [...headers.entries()]
      : Object.entries(headers).flatMap(([k, v]) =>
          v === undefined ? [] : [[k, Array.isArray(v) ? v.join(", ") : v] as [string, string]],
        );
  const out: Record<string, string> = {};
  for (const [key, value] of entries) {
    out[key] = SAFE_HEADERS.has(key.toLowerCase()) ? redactText(value) : REDACTED;
  }
  return out;
}

const TEXT_PATTERNS: Array<[RegExp, string]> = [
  // JWTs (access tokens, client assertions)
  [/eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, REDACTED],
  // Authorization header values
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${REDACTED}`],
  // Form and query fields that carry secrets
  [
    /\b(client_secret|client_assertion|access_token|refresh_token|password|sig|code)=[^&\s"']+/gi,
    `$1=${REDACTED}`,
  ],
  // JSON fields that carry secrets
  [
    /"(client_?secret|clientSecret|access_?token|accessToken|refresh_?token|password|adminKey|privateKey)"\s*:\s*"[^"]*"/gi,
    `"$1":"${REDACTED}"`,
  ],
  // PEM private keys
  [
    /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
    `[${REDACTED} PRIVATE KEY]`,
  ],
];

/** What `redactText` returns instead of a text that contains a secret too plain to cut out (see there). */
export const WITHHELD = "(not shown: it contains the value of a secret in use)";

/**
 * Whether a literal secret can be cut out of a text wherever it appears without hitting ordinary words: one token
 * (a value with spaces may be a phrase of the text), long or mixing letters with digits or symbols, as generated
 * secrets are.
 */
function isDistinctive(secret: string): boolean {
  if (/\s/.test(secret)) return false;
  return secret.length >= 16 || (secret.length >= 8 && /[A-Za-z]/.test(secret) && /[^A-Za-z]/.test(secret));
}

/** Values this short protect nothing (they are guessed at once) and would withhold nearly every text. */
const MIN_SECRET_LENGTH = 4;

/**
 * Free text with tokens, secrets and private keys removed; `extraSecrets` are literal values to hide too.
 * A distinctive secret is replaced by REDACTED wherever it appears. A short or word-like one ("wrong", "secret",
 * "1234": a mistyped secret often is) may equally be an ordinary word of the text, so cutting it out could turn
 * "The client secret is wrong" into "The client secret is REDACTED"; a text containing one is replaced as a whole
 * by WITHHELD instead, so the value never shows and no sentence is falsified. Values of fewer than 4 characters
 * are not looked for.
 */
export function redactText(text: string, extraSecrets: readonly string[] = []): string {
  const secrets = extraSecrets.filter((secret) => secret && secret.length >= MIN_SECRET_LENGTH);
  if (secrets.some((secret) => !isDistinctive(secret) && text.includes(secret))) return WITHHELD;
  let out = text;
  for (const secret of secrets) out = out.split(secret).join(REDACTED);
  for (const [pattern, replacement] of TEXT_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}
