/** The innermost useful reason of a transport failure (undici hides it in `cause`). */
export function describeCause(cause: unknown): string {
  let current = cause as { message?: string; code?: string; cause?: unknown } | undefined;
  let best = "unknown error";
  for (let depth = 0; current && depth < 5; depth++) {
    if (current.code || current.message) best = [current.code, current.message].filter(Boolean).join(": ");
    current = current.cause as typeof current;
  }
  return best;
}
