import { readFileSync } from "node:fs";
import type { ConnectionInfo } from "@adlkit/emulator";

/** The secrets of an emulator connection that must never appear in output: secret, keys, admin key. */
export function knownSecrets(connection: ConnectionInfo): string[] {
  const privateKey = readFileSync(connection.clientPrivateKeyPath, "utf8");
  const keyBody = privateKey.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "");
  return [
    connection.clientSecret,
    connection.adminKey,
    connection.managedIdentity.header,
    keyBody.slice(0, 64),
  ];
}

/**
 * Which of `secrets` (and anything shaped like a JWT) occur in `text`. A JWT is recognised by its
 * base64url `{"` header prefix, so tokens are caught even when the test does not know them.
 * `tokensAllowed`: for a token cache file, whose job is to hold access tokens (and nothing else secret).
 */
export function findSecrets(
  text: string,
  secrets: readonly string[],
  options: { tokensAllowed?: boolean } = {},
): string[] {
  const found = secrets.filter((s) => s.length > 0 && text.includes(s)).map((s) => `${s.slice(0, 3)}…`);
  const jwt = /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]+/.exec(text);
  if (jwt && !options.tokensAllowed) found.push(`a JWT (${jwt[0].slice(0, 12)}…)`);
  return found;
}
