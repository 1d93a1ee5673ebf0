import { createHash, randomBytes } from "node:crypto";
import { chmod, mkdir, open, readdir, readFile, rename, rm, unlink } from "node:fs/promises";
import path from "node:path";
import type { ICachePlugin, TokenCacheContext } from "@azure/msal-node";
import { invalidArgument } from "./invalid-argument.js";

/** Where a credential keeps its tokens between processes (see README, "Persistent token cache"). */
export interface TokenCacheOptions {
  /** The directory of the cache files: created owner-only (0700); each file is owner-only (0600). */
  directory: string;
  /**
   * Separate sets of tokens under one directory, never read across: the CLI uses one per profile.
   * Letters, digits, `.`, `_`, `-`. @default "default"
   */
  partition?: string;
  /**
   * Told when a cache file cannot be read (it is then ignored) or written (the token is still used). Default:
   * the credential's logger, at warning level. The message names the file, never its content.
   */
  onWarning?: (message: string) => void;
}

const PARTITION = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$/;
const DEFAULT_PARTITION = "default";

function checkPartition(partition: string): string {
  if (!PARTITION.test(partition))
    throw invalidArgument(
      "tokenCache",
      "partition",
      `'${partition}' must be 1-64 letters, digits, '.', '_' or '-', starting with a letter, digit or '_'.`,
    );
  return partition;
}

/**
 * The file of one authority (host and tenant), client id and credential in a partition. The name is a digest, so
 * the path says nothing about the tenant or the app; the key is case-insensitive, like Entra's identifiers.
 * `credential` tells the credentials of one app apart (a digest of the secret, the certificate's thumbprint), so a
 * token got with one secret is never served to a credential holding another (a wrong or rotated one must fail).
 */
export function tokenCacheFile(
  options: TokenCacheOptions,
  authority: string,
  clientId: string,
  credential: string,
): string {
  const partition = checkPartition(options.partition ?? DEFAULT_PARTITION);
  const key = [authority.toLowerCase().replace(/\/+$/, ""), clientId.toLowerCase(), credential].join("\n");
  const name = createHash("sha256").update(key).digest("hex").slice(0, 32);
  return path.join(options.directory, partition, `${name}.json`);
}

/** What tells one credential of an app from another in the cache key: never the secret itself. */
export function credentialKey(auth: {
  clientSecret?: string;
  clientCertificate?: { thumbprintSha256?: string; thumbprint?: string };
}): string {
  if (auth.clientSecret)
    return `secret:${createHash("sha256").update(`adlkit token cache\n${auth.clientSecret}`).digest("hex")}`;
  const c = auth.clientCertificate;
  if (c) return `certificate:${(c.thumbprintSha256 ?? c.thumbprint ?? "").toLowerCase()}`;
  return "assertion";
}

/**
 * Deletes cached tokens: one partition's, or (without `partition`) every partition's. Returns how many cache
 * files were removed. A missing directory is not an error: there was nothing to forget.
 */
export async function clearTokenCache(directory: string, partition?: string): Promise<number> {
  const dirs =
    partition === undefined
      ? (await readdir(directory, { withFileTypes: true }).catch(missingIsEmpty))
          .filter((d) => d.isDirectory())
          .map((d) => path.join(directory, d.name))
      : [path.join(directory, checkPartition(partition))];
  let removed = 0;
  for (const dir of dirs) {
    const files = await readdir(dir).catch(missingIsEmpty);
    removed += files.filter((f) => f.endsWith(".json")).length;
    await rm(dir, { recursive: true, force: true });
  }
  return removed;
}

function missingIsEmpty(err: NodeJS.ErrnoException): never[] {
  if (err.code === "ENOENT") return [];
  throw err;
}

/** What a token is looked up by in a cache file: the same things msal-node matches for client credentials. */
export interface CachedTokenQuery {
  /** The authority's `host[:port]`. */
  host: string;
  tenantId: string;
  clientId: string;
  scopes: readonly string[];
}

/** The fields msal-node writes for a client-credentials access token; an entry with any other is left to it. */
const PLAIN_TOKEN_FIELDS = new Set([
  "home_account_id",
  "environment",
  "credential_type",
  "client_id",
  "secret",
  "realm",
  "target",
  "cached_at",
  "expires_on",
  "extended_expires_on",
  "refresh_on",
  "token_type",
]);
/** msal-node's renewal margin (`tokenRenewalOffsetSeconds`, which the credentials leave at its default). */
const RENEWAL_MARGIN_SECONDS = 300;
const OIDC_SCOPES = new Set(["openid", "profile", "offline_access"]);

/**
 * The access token msal-node would serve from this cache file without a request, read without loading msal-node
 * (a one-shot command then needs only this file). The rules are msal-node's for client credentials, kept
 * strictly: exactly one Bearer entry for the host, tenant and client whose scopes hold all requested ones, valid
 * beyond the renewal margin and not yet due for its proactive refresh (`refresh_on`). Anything else — no file, a
 * malformed one, no match, several, an entry with fields this code does not know — answers undefined, and the
 * caller asks msal-node, which decides (and warns about a bad file) as it always did.
 */
export async function readCachedAccessToken(
  file: string,
  query: CachedTokenQuery,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<{ token: string; expiresOn: number; refreshOn?: number } | undefined> {
  let entries: unknown;
  try {
    entries = (JSON.parse(await readFile(file, "utf8")) as { AccessToken?: unknown }).AccessToken;
  } catch {
    return undefined;
  }
  if (typeof entries !== "object" || entries === null) return undefined;
  const lower = (v: unknown) => (typeof v === "string" ? v.toLowerCase() : undefined);
  let wanted = query.scopes.map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (wanted.some((s) => !OIDC_SCOPES.has(s))) wanted = wanted.filter((s) => !OIDC_SCOPES.has(s));
  if (wanted.length === 0) return undefined;
  const matches = Object.values(entries as Record<string, unknown>).filter((value) => {
    if (typeof value !== "object" || value === null) return false;
    const e = value as Record<string, unknown>;
    if (lower(e.credential_type) !== "accesstoken" || e.home_account_id !== "") return false;
    if (lower(e.environment) !== query.host.toLowerCase()) return false;
    if (lower(e.realm) !== query.tenantId.toLowerCase()) return false;
    if (lower(e.client_id) !== query.clientId.toLowerCase()) return false;
    const held = new Set((lower(e.target) ?? "").split(" ").filter(Boolean));
    return wanted.every((s) => held.has(s));
  }) as Array<Record<string, unknown>>;
  if (matches.length !== 1) return undefined;
  const e = matches[0]!;
  if (Object.keys(e).some((k) => !PLAIN_TOKEN_FIELDS.has(k))) return undefined;
  if (e.token_type !== undefined && lower(e.token_type) !== "bearer") return undefined;
  const expiresOn = Number(e.expires_on);
  const refreshOn = e.refresh_on === undefined ? undefined : Number(e.refresh_on);
  if (typeof e.secret !== "string" || !e.secret || !Number.isSafeInteger(expiresOn)) return undefined;
  if (nowSeconds + RENEWAL_MARGIN_SECONDS > expiresOn) return undefined;
  if (refreshOn !== undefined && (!Number.isSafeInteger(refreshOn) || nowSeconds > refreshOn))
    return undefined;
  return { token: e.secret, expiresOn, ...(refreshOn !== undefined ? { refreshOn } : {}) };
}

/**
 * msal-node's cache plugin on one file. msal-node calls `beforeCacheAccess` before it looks a token up or stores
 * one, and `afterCacheAccess` after; what goes into the file is exactly msal-node's serialized cache (access
 * tokens and their metadata — never the secret or key, which msal-node keeps in its configuration).
 *
 * Several processes may share the file: it is re-read before each access (so a token another process stored is
 * used), and written whole to a temporary file that is renamed over it, so a reader sees the old file or the new
 * one, never a mix. Two processes storing at the same moment keep one of the two tokens: the other is fetched again
 * when needed. A file that cannot be read or parsed is ignored (with a warning) and replaced by the next store.
 */
export class FileTokenCachePlugin implements ICachePlugin {
  readonly file: string;
  readonly #onWarning: (message: string) => void;
  /** msal-node reads the file twice around one token request: say each thing once. */
  readonly #said = new Set<string>();

  constructor(file: string, onWarning: (message: string) => void) {
    this.file = file;
    this.#onWarning = onWarning;
  }

  #warn(message: string): void {
    if (this.#said.has(message)) return;
    this.#said.add(message);
    this.#onWarning(message);
  }

  async beforeCacheAccess(context: TokenCacheContext): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.file, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT")
        this.#warn(`cannot read the token cache ${this.file} (${describe(err)}); ignoring it.`);
      return;
    }
    // The reasons are fixed words: a parser's message would quote the file, which holds tokens.
    let problem: string | undefined;
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
        problem = "not a JSON object";
    } catch {
      problem = "not JSON";
    }
    if (!problem) {
      try {
        context.tokenCache.deserialize(text);
      } catch {
        problem = "not in msal-node's cache format";
      }
    }
    if (problem)
      this.#warn(`the token cache ${this.file} is ${problem}; ignoring it (the next token replaces it).`);
  }

  async afterCacheAccess(context: TokenCacheContext): Promise<void> {
    if (!context.cacheHasChanged) return;
    try {
      await writeOwnerOnly(this.file, context.tokenCache.serialize());
    } catch (err) {
      this.#warn(`cannot write the token cache ${this.file} (${describe(err)}); the token is not kept.`);
    }
  }
}

/** Writes `text` to `file` atomically: a new 0600 file beside it (never a wider mode, even briefly), renamed over. */
async function writeOwnerOnly(file: string, text: string): Promise<void> {
  const dir = path.dirname(file);
  // Both levels owner-only: the partition directory and the cache directory above it (which may be new too).
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await Promise.all([chmod(dir, 0o700), chmod(path.dirname(dir), 0o700)]);
  const temp = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  const handle = await open(temp, "wx", 0o600);
  try {
    await handle.writeFile(text, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, file);
  } catch (err) {
    await unlink(temp).catch(() => {});
    throw err;
  }
}

function describe(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code ?? (e instanceof Error ? e.message : String(err));
}
