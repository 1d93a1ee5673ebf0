import { emulatorCloud, InvalidArgumentError, publicCloud } from "@adlkit/core";
import type { TokenCredential } from "@azure/core-auth";
import { describe, expect, it } from "vitest";
import { accountBaseUrl, DEFAULTS, resolveOptions } from "./options.js";

const credential: TokenCredential = {
  getToken: async () => ({ token: "t", expiresOnTimestamp: Date.now() + 3600_000 }),
};

describe("resolveOptions", () => {
  it("fills in the documented defaults", () => {
    const resolved = resolveOptions({ credential, accountName: "acct" });
    expect(resolved.cloud).toBe(publicCloud);
    expect(resolved.concurrency).toBe(DEFAULTS.concurrency);
    expect(resolved.chunkSize).toBe(64 * 1024 * 1024);
    expect(resolved.blockSize).toBe(4 * 1024 * 1024);
    expect(resolved.connections).toBe(16);
    expect(resolved.retry.limit).toBe(4);
  });

  it("rejects bad options before any request, naming the option", () => {
    expect(() => resolveOptions({ credential, accountName: "" })).toThrow(/accountName option is required/);
    expect(() => resolveOptions({ credential: {} as TokenCredential, accountName: "acct" })).toThrow(
      /credential option is required/,
    );
    expect(() => resolveOptions({ credential, accountName: "acct", blockSize: 8 * 1024 * 1024 })).toThrow(
      /blockSize/,
    );
    expect(() => resolveOptions({ credential, accountName: "acct", concurrency: 0 })).toThrow(/concurrency/);
    expect(() => resolveOptions({ credential, accountName: "acct", concurrency: 257 })).toThrow(
      /concurrency must be an integer between 1 and 256, got 257/,
    );
    // A 1-byte chunk made a 40 MiB upload plan 40 million segments and run out of memory.
    expect(() => resolveOptions({ credential, accountName: "acct", chunkSize: 1 })).toThrow(
      /chunkSize must be an integer between 1048576 and 1073741824, got 1$/,
    );
    expect(() => resolveOptions({ credential, accountName: "acct", chunkSize: 2 * 1024 ** 3 })).toThrow(
      /chunkSize/,
    );
    expect(resolveOptions({ credential, accountName: "acct", chunkSize: 1024 * 1024 }).chunkSize).toBe(
      1024 * 1024,
    );
    expect(resolveOptions({ credential, accountName: "acct", chunkSize: 1024 ** 3 }).chunkSize).toBe(
      1024 ** 3,
    );
    expect(() =>
      resolveOptions({ credential, accountName: "acct", concurrency: 32, connections: 8 }),
    ).toThrow(/connections/);
    expect(() => resolveOptions({ credential, accountName: "acct", timeout: 5 } as never)).toThrow(
      /timeoutInMs/,
    );
    expect(() =>
      resolveOptions({
        credential,
        accountName: "acct",
        cloud: { ...publicCloud, dataLakeDnsSuffix: undefined } as never,
      }),
    ).toThrow(/no Data Lake Store Gen1 endpoint/);
  });

  it("throws one InvalidArgumentError shape: code, the option's name, the package in the message", () => {
    const caught = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        return err;
      }
      throw new Error("did not throw");
    };
    const err = caught(() => resolveOptions({ credential, accountName: "acct", concurrency: 0 }));
    expect(InvalidArgumentError.isInstance(err)).toBe(true);
    expect(err).toMatchObject({ code: "INVALID_ARGUMENT", argument: "concurrency" });
    expect((err as Error).message).toMatch(/^\[@adlkit\/fs-client\] concurrency must be/);
    expect(
      caught(() => resolveOptions({ credential, accountName: "acct", retry: { limit: -1 } })),
    ).toMatchObject({
      argument: "retry.limit",
    });
  });

  it("applies Azure's account-name rule, the same as arm-client's (one rule, in core)", () => {
    for (const name of ["Acct", "a-b", "ab", "a".repeat(25)])
      expect(() => resolveOptions({ credential, accountName: name })).toThrow(
        /3-24 lowercase letters and digits/,
      );
    expect(resolveOptions({ credential, accountName: "abc123" }).accountName).toBe("abc123");
  });

  it("grows the pool with the concurrency", () => {
    expect(resolveOptions({ credential, accountName: "acct", concurrency: 20 }).connections).toBe(40);
  });
});

describe("accountBaseUrl", () => {
  it("addresses accounts host-style in Azure and path-style on the emulator", () => {
    expect(accountBaseUrl(publicCloud, "lake")).toBe("https://lake.azuredatalakestore.net");
    const cloud = emulatorCloud({ url: "https://localhost:8443", dataLakeDnsSuffix: "localhost:8443" });
    expect(accountBaseUrl(cloud, "lake")).toBe("https://127.0.0.1:8443/lake");
    expect(
      accountBaseUrl(
        emulatorCloud(
          { url: "https://localhost:8443", dataLakeDnsSuffix: "localhost:8443" },
          { hostStyle: true },
        ),
        "lake",
      ),
    ).toBe("https://lake.localhost:8443");
  });
});
