import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { head, openRaw } from "../helpers/raw-tls.js";
import { type FsFixture, startFsFixture } from "../helpers/webhdfs-fixture.js";

/**
 * Issue 16, older clients: an older Microsoft HTTP stack sends CREATE and APPEND with both
 * `Transfer-Encoding: chunked` and a `Content-Length`. RFC 9112 §6.3 lets a server frame such a message by
 * Transfer-Encoding alone and then close the connection, which is what the service did. The emulator does that,
 * and only that: every other leniency of the HTTP parser stays off (the cases below that must still fail).
 */
let fx: FsFixture;
let port: number;
let ca: string;
let token: string;

beforeAll(async () => {
  fx = await startFsFixture("chunkcl");
  port = fx.emu.emulator.port;
  ca = fx.emu.emulator.caPem;
  token = await fx.tokenFor("owner");
}, 60_000);
afterAll(() => fx?.close());

/** `text` as chunked transfer coding, in chunks of `size` characters. */
function chunked(text: string, size: number): string {
  let out = "";
  for (let at = 0; at < text.length; at += size) {
    const part = text.slice(at, at + size);
    out += `${Buffer.byteLength(part).toString(16)}\r\n${part}\r\n`;
  }
  return `${out}0\r\n\r\n`;
}

async function send(bytes: string): Promise<{ statuses: number[]; text: string; closed: boolean }> {
  const raw = await openRaw(port, ca);
  try {
    await raw.write(bytes);
    await raw.waitFor(() => raw.closed, 5_000);
    return { statuses: raw.statuses(), text: raw.text(), closed: raw.closed };
  } finally {
    raw.destroy();
  }
}

const auth = () => ({ authorization: `Bearer ${token}` });
const content = async (path: string) => (await fx.call("GET", path, "op=OPEN&read=true")).text;

describe("Transfer-Encoding: chunked together with Content-Length", () => {
  it("a chunked CREATE with a wrong Content-Length: 201, the file holds exactly the chunked bytes, the connection closes", async () => {
    const body = "exactly these bytes, sent in chunks";
    const bytes =
      head("PUT", `/${fx.account}/webhdfs/v1/tecl/created.txt?op=CREATE&overwrite=true&write=true`, port, {
        ...auth(),
        "transfer-encoding": "chunked",
        "content-length": 7,
      }) + chunked(body, 8);
    const result = await send(bytes);
    expect(result.statuses, result.text).toEqual([201]);
    expect(result.text).toMatch(/\r\nConnection: close\r\n/i);
    expect(result.closed).toBe(true);
    expect(await content("/tecl/created.txt")).toBe(body);
  });

  it("a chunked APPEND with a Content-Length larger than the body, followed by a request the server must not run", async () => {
    const smuggled = head("DELETE", `/${fx.account}/webhdfs/v1/tecl/created.txt?op=DELETE`, port, auth());
    const bytes =
      head("POST", `/${fx.account}/webhdfs/v1/tecl/created.txt?op=APPEND&append=true`, port, {
        ...auth(),
        "transfer-encoding": "chunked",
        "content-length": 100_000,
      }) +
      chunked(" + more", 3) +
      smuggled;
    const result = await send(bytes);
    // Framed by Transfer-Encoding, answered, and the connection closed: what followed is never parsed.
    expect(result.statuses, result.text).toEqual([200]);
    expect(result.closed).toBe(true);
    expect(await content("/tecl/created.txt")).toBe("exactly these bytes, sent in chunks + more");
  });

  it("other malformed framing is still refused with 400 by the parser (no other leniency is on)", async () => {
    const target = `/${fx.account}/webhdfs/v1/tecl/other.txt?op=CREATE&overwrite=true`;
    const cases = [
      // Transfer-Encoding that is not chunked-last
      `${head("PUT", target, port, { ...auth(), "transfer-encoding": "gzip" })}abc`,
      // two different Content-Lengths
      `${head("PUT", target, port, { ...auth(), "content-length": 3 }).replace("\r\n\r\n", "\r\nContent-Length: 4\r\n\r\n")}abcd`,
      // a header folded onto the next line (obs-fold)
      `PUT ${target} HTTP/1.1\r\nHost: localhost:${port}\r\nAuthorization: Bearer ${token}\r\nX-Folded: a\r\n b\r\nContent-Length: 1\r\n\r\nx`,
      // bare LF line endings
      `PUT ${target} HTTP/1.1\nHost: localhost:${port}\nAuthorization: Bearer ${token}\nContent-Length: 1\n\nx`,
      // a chunk size with trailing garbage
      `${head("PUT", target, port, { ...auth(), "transfer-encoding": "chunked" })}3 junk\r\nabc\r\n0\r\n\r\n`,
    ];
    for (const bytes of cases) {
      const result = await send(bytes);
      expect(result.statuses, JSON.stringify(bytes)).toEqual([400]);
    }
    expect((await fx.call("GET", "/tecl/other.txt", "op=GETFILESTATUS")).status).toBe(404);
  });
});
