import { describe, expect, it } from "vitest";
import { HttpError } from "../errors/http-error.js";
import { NetworkError } from "../errors/network-error.js";
import { ThrottledError } from "../errors/throttled-error.js";
import { TimeoutError } from "../errors/timeout-error.js";
import { isTransient, mayHaveLanded } from "./transient.js";

const status = (s: number) => new HttpError("x", { status: s, method: "GET", url: "https://h/" });
const refused = new NetworkError(
  "PUT",
  "https://h/",
  Object.assign(new Error("connect"), { code: "ECONNREFUSED" }),
);
const reset = new NetworkError(
  "PUT",
  "https://h/",
  Object.assign(new Error("socket"), { code: "ECONNRESET" }),
);

describe("isTransient: the one rule for 'worth another attempt'", () => {
  it.each([408, 429, 500, 502, 503, 504])("HTTP %i is transient", (s) =>
    expect(isTransient(status(s))).toBe(true),
  );
  it.each([400, 401, 403, 404, 409, 412, 501])("HTTP %i is not", (s) =>
    expect(isTransient(status(s))).toBe(false),
  );
  it("counts transport failures and timeouts, by shape, and a client's own status list", () => {
    expect(isTransient(reset)).toBe(true);
    expect(isTransient(new TimeoutError("t"))).toBe(true);
    expect(isTransient({ code: "NETWORK_ERROR" })).toBe(true);
    expect(isTransient(new Error("local"))).toBe(false);
    expect(isTransient(status(503), [429])).toBe(false);
  });
});

describe("mayHaveLanded", () => {
  it("is false only where the failure proves nothing was applied", () => {
    expect(mayHaveLanded(new ThrottledError("t", { method: "PUT", url: "https://h/" }))).toBe(false);
    expect(mayHaveLanded(refused)).toBe(false);
    expect(mayHaveLanded(reset)).toBe(true);
    expect(mayHaveLanded(new TimeoutError("t"))).toBe(true);
    expect(mayHaveLanded(status(503))).toBe(true);
  });
});
