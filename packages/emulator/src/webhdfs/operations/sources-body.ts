import { remoteErrors } from "../remote-exception.js";

const SPACE = /[ \t\r\n]*/y;

/**
 * The source list of an MSCONCAT body: JSON `{"sources":["/a","/b"]}` (every SDK) or the legacy text
 * `sources=/a,/b` (§4.10). The JSON is scanned for exactly that shape rather than handed to JSON.parse whole, which
 * would first build whatever a body describes (millions of values, deeply nested arrays: seconds of work on the
 * event loop); the scan stops at the first token out of place or at the source past `max`, and only each source
 * string goes through JSON.parse.
 */
export function parseSourcesBody(op: string, body: string, max: number): string[] {
  const text = body.trim();
  if (text.startsWith("{")) return scanJsonSources(op, text, max);
  if (!text.startsWith("sources="))
    throw remoteErrors.illegalArgument(op, 'The body must be {"sources":[…]} or sources=a,b');
  const sources = text
    .slice("sources=".length)
    .split(",", max + 1)
    .filter((s) => s !== "");
  if (sources.length > max) throw tooMany(op, max);
  return sources;
}

function scanJsonSources(op: string, text: string, max: number): string[] {
  let at = 0;
  const skipSpace = () => {
    SPACE.lastIndex = at;
    SPACE.exec(text);
    at = SPACE.lastIndex;
  };
  const expect = (token: string) => {
    skipSpace();
    if (!text.startsWith(token, at)) throw malformed(op);
    at += token.length;
  };
  expect("{");
  expect('"sources"');
  expect(":");
  expect("[");
  const sources: string[] = [];
  skipSpace();
  if (text[at] === "]") at++;
  else {
    for (;;) {
      skipSpace();
      const end = text[at] === '"' ? stringEnd(text, at) : -1;
      if (end < 0) throw malformed(op);
      if (sources.length === max) throw tooMany(op, max);
      try {
        sources.push(JSON.parse(text.slice(at, end)) as string);
      } catch {
        throw malformed(op); // a bad escape or a raw control character
      }
      at = end;
      skipSpace();
      if (text[at] === ",") at++;
      else if (text[at] === "]") {
        at++;
        break;
      } else throw malformed(op);
    }
  }
  expect("}");
  skipSpace();
  if (at !== text.length) throw malformed(op);
  return sources;
}

/**
 * Where the JSON string starting at `start` (its opening quote) ends: the index after its closing quote, or -1.
 * A quote closes it unless an odd number of backslashes precede it; each run of backslashes is looked at once.
 */
function stringEnd(text: string, start: number): number {
  for (let from = start + 1; ; ) {
    const quote = text.indexOf('"', from);
    if (quote < 0) return -1;
    let backslashes = 0;
    while (text[quote - 1 - backslashes] === "\\") backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

const malformed = (op: string) =>
  remoteErrors.illegalArgument(op, 'The body must be {"sources":["/path",…]}');
const tooMany = (op: string, max: number) =>
  remoteErrors.illegalArgument(op, `At most ${max} sources can be joined at once`);
