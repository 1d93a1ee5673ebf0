import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { head, openRaw } from "../helpers/raw-tls.js";
import { DATALAKE, type FsFixture, startFsFixture } from "../helpers/webhdfs-fixture.js";

/**
 * Issue 16, finding 7: after refusing a body over its limit, the server must not leave the connection alive with
 * the rest of that body unread (the client's next request on it would wait ~30 s for nothing). Each part's limit
 * is exceeded on a keep-alive connection, a second request follows on the same socket, and the server must
 * answer it or close the connection at once. A small body refused before it was read is drained instead, and
 * its connection stays usable.
 */
let fx: FsFixture;
let port: number;
let ca: string;
const MiB = 1024 * 1024;

beforeAll(async () => {
  fx = await startFsFixture("connreuse");
  port = fx.emu.emulator.port;
  ca = fx.emu.emulator.caPem;
}, 60_000);
afterAll(() => fx?.close());

/**
 * Sends `method target` with a `size`-byte body on a fresh connection, waits for the answer, then sends a
 * health check on the same socket. Returns the first status, whether the second request was answered or the
 * connection closed, and how long that took after the first answer.
 */
async function overLimitThenReuse(
  method: string,
  target: string,
  headers: Record<string, string>,
  size: number,
): Promise<{ first: number; outcome: string; afterMs: number; connection: string }> {
  const raw = await openRaw(port, ca);
  try {
    await raw.write(head(method, target, port, { ...headers, "content-length": size }));
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    // The body is written while the answer may already be on its way; the writer stops when the server closes.
    const writing = (async () => {
      for (let sent = 0; sent < size; sent += chunk.length) {
        if (!(await raw.write(chunk.subarray(0, Math.min(chunk.length, size - sent))))) return;
      }
    })();
    const answered = await raw.waitFor(() => /\r\n\r\n/.test(raw.text()), 10_000);
    expect(answered, raw.text()).toBe("met");
    const first = raw.statuses()[0]!;
    const connection = /\r\nConnection: ([^\r]+)/i.exec(raw.text())?.[1] ?? "";
    const started = performance.now();
    await raw.write(head("GET", "/_emulator/health", port, {}));
    const outcome = await raw.waitFor(() => raw.statuses().length >= 2, 5_000);
    const afterMs = performance.now() - started;
    raw.destroy();
    await writing;
    return { first, outcome, afterMs, connection };
  } finally {
    raw.destroy();
  }
}

describe("a body over the limit does not strand its connection", () => {
  const cases: Array<[string, () => Promise<[string, string, Record<string, string>, number]>]> = [
    [
      "filesystem CREATE over 4 MiB",
      async () => [
        "PUT",
        `/${fx.account}/webhdfs/v1/big?op=CREATE&overwrite=true&write=true`,
        { authorization: `Bearer ${await fx.tokenFor("owner")}` },
        5 * MiB,
      ],
    ],
    [
      "filesystem MSCONCAT body over its limit",
      async () => [
        "POST",
        `/${fx.account}/webhdfs/v1/joined?op=MSCONCAT`,
        { authorization: `Bearer ${await fx.tokenFor("owner")}` },
        9 * MiB,
      ],
    ],
    [
      "Resource Manager body over 4 MiB",
      async () => [
        "PUT",
        `/subscriptions/${fx.emu.emulator.connection.subscriptionId}/resourcegroups/rg1?api-version=2022-09-01`,
        {
          authorization: `Bearer ${await fx.emu.token("https://management.azure.com/")}`,
          "content-type": "application/json",
        },
        5 * MiB,
      ],
    ],
    [
      "token form over 64 KiB",
      async () => [
        "POST",
        `/${fx.emu.emulator.connection.tenantId}/oauth2/token`,
        { "content-type": "application/x-www-form-urlencoded" },
        1 * MiB,
      ],
    ],
    [
      "admin body over 1 MiB",
      async () => [
        "PUT",
        "/_emulator/faults",
        { "x-adl-emulator-key": fx.emu.emulator.connection.adminKey, "content-type": "application/json" },
        2 * MiB,
      ],
    ],
  ];
  for (const [name, build] of cases) {
    it(`${name}: 4xx with Connection: close, and the next request is answered or refused at once`, async () => {
      const [method, target, headers, size] = await build();
      const result = await overLimitThenReuse(method, target, headers, size);
      expect(result.first).toBeGreaterThanOrEqual(400);
      expect(result.first).toBeLessThan(500);
      expect(result.connection.toLowerCase()).toBe("close");
      expect(["met", "closed"]).toContain(result.outcome);
      expect(result.afterMs).toBeLessThan(1000);
    }, 20_000);
  }

  it("a small body refused before it is read (401) is drained: the same connection answers the next request", async () => {
    const raw = await openRaw(port, ca);
    try {
      const body = "x".repeat(100 * 1024);
      await raw.write(
        head("PUT", `/${fx.account}/webhdfs/v1/small?op=CREATE&overwrite=true`, port, {
          "content-length": body.length,
        }) + body,
      );
      expect(await raw.waitFor(() => raw.statuses().length >= 1, 5_000)).toBe("met");
      expect(raw.statuses()[0]).toBe(401);
      await raw.write(head("GET", "/_emulator/health", port, {}));
      expect(await raw.waitFor(() => raw.statuses().length >= 2, 5_000)).toBe("met");
      expect(raw.statuses()).toEqual([401, 200]);
      expect(raw.closed).toBe(false);
    } finally {
      raw.destroy();
    }
  });

  it("the server keeps serving other clients meanwhile (a token still comes back)", async () => {
    const form = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: fx.emu.emulator.connection.clientId,
      client_secret: fx.emu.emulator.connection.clientSecret,
      resource: DATALAKE,
    });
    const res = await fx.emu.request(
      "POST",
      `${fx.emu.url}/${fx.emu.emulator.connection.tenantId}/oauth2/token`,
      {
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: form.toString(),
      },
    );
    expect(res.status).toBe(200);
  });
});
