/**
 * Decoding of client-supplied text that must never throw into a 500: malformed percent-encoding or bytes that
 * are not UTF-8 give `undefined`, and each caller answers its own 400 (or 404) in its own error shape.
 */

/** `decodeURIComponent`, or undefined when `text` is not valid percent-encoded UTF-8. */
export function tryDecodeURIComponent(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** Decodes every segment, or undefined when one of them is not valid percent-encoded UTF-8. */
export function tryDecodeSegments(segments: readonly string[]): string[] | undefined {
  const decoded: string[] = [];
  for (const segment of segments) {
    const text = tryDecodeURIComponent(segment);
    if (text === undefined) return undefined;
    decoded.push(text);
  }
  return decoded;
}

/** `JSON.parse`, or undefined when `text` is not JSON. */
export function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
