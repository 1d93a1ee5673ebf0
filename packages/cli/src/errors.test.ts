import { AdlkitError, HttpError, InvalidArgumentError } from "@adlkit/core";
import { describe, expect, it } from "vitest";
import { CliError, describeError, EXIT, ExitError, exitCodeFor, UsageError } from "./errors.js";

class FakeNotFound extends AdlkitError {
  constructor() {
    super("OPEN /x failed: path does not exist", { code: "PATH_NOT_FOUND", hint: "Check the path." });
  }
}

describe("exit codes", () => {
  it.each([
    ["usage", new UsageError("bad flag"), EXIT.usage],
    ["CLI error", new CliError("no creds", { code: "CREDENTIALS_MISSING" }), EXIT.failed],
    ["CLI not found", new CliError("no profile", { code: "PROFILE_NOT_FOUND", exitCode: 3 }), EXIT.notFound],
    ["exit", new ExitError(1), 1],
    ["fs not found", new FakeNotFound(), EXIT.notFound],
    [
      "http 404",
      new HttpError("GET /x failed", { status: 404, method: "GET", url: "https://h/x" }),
      EXIT.notFound,
    ],
    [
      "http 500",
      new HttpError("GET /x failed", { status: 500, method: "GET", url: "https://h/x" }),
      EXIT.failed,
    ],
    [
      "invalid argument",
      new AdlkitError("[@adlkit/arm-client] accountName is bad", { code: "INVALID_ARGUMENT" }),
      EXIT.usage,
    ],
    ["library argument error", new InvalidArgumentError("chunkSize", "must be an integer"), EXIT.usage],
    // Only core's InvalidArgumentError is a usage error: a library's TypeError is a bug, whatever it says.
    ["TypeError", new TypeError("[@adlkit/fs-client] accountName option is required"), EXIT.failed],
    ["abort", new DOMException("interrupted", "AbortError"), EXIT.interrupted],
    ["adlkit abort", new AdlkitError("aborted", { code: "ABORTED" }), EXIT.interrupted],
    ["plain error", new Error("boom"), EXIT.failed],
    ["not an error", "weird", EXIT.failed],
  ])("%s → %d", (_name, err, code) => expect(exitCodeFor(err)).toBe(code));
});

describe("describeError", () => {
  it("keeps the code, hint and request id, on one line, without the package prefix", () => {
    const err = new HttpError("GET /x\nfailed", {
      status: 503,
      method: "GET",
      url: "https://h/x?sig=abc",
      requestId: "rid-1",
      code: "SERVER_BUSY",
      hint: "Try\nlater.",
    });
    expect(describeError(err)).toEqual({
      code: "SERVER_BUSY",
      message: "GET /x failed",
      hint: "Try later.",
      detail: undefined,
      requestId: "rid-1",
      exitCode: 1,
      expected: true,
    });
    // fs-client's option errors are core's InvalidArgumentError: in the CLI's words by their `argument`.
    const source = { source: "@adlkit/fs-client" };
    expect(
      describeError(
        new InvalidArgumentError("chunkSize", "must be an integer between 1 and 2, got 3", source),
      ),
    ).toMatchObject({
      code: "INVALID_ARGUMENT",
      message: "--chunk-size must be an integer between 1 and 2, got 3",
      exitCode: 2,
    });
    expect(
      describeError(
        new InvalidArgumentError("concurrency", "must be an integer between 1 and 256, got 0", source),
      ).message,
    ).toBe("--threads must be an integer between 1 and 256, got 0");
    expect(describeError(new InvalidArgumentError("accountName", "option is required", source)).message).toBe(
      "-a/--account is required",
    );
  });

  it("marks bugs as unexpected and system errors as expected with a hint", () => {
    expect(describeError(new Error("boom")).expected).toBe(false);
    const enoent = Object.assign(new Error("ENOENT: no such file"), { code: "ENOENT" });
    expect(describeError(enoent)).toMatchObject({ expected: true, hint: "Check the local path." });
    expect(describeError(new DOMException("x", "AbortError"))).toMatchObject({
      code: "INTERRUPTED",
      message: "interrupted",
      exitCode: 130,
    });
  });
});
