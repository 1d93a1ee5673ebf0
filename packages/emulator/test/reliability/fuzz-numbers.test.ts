import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { edgeInteger, NUMERIC_PARAMETER_CALLS } from "../helpers/edge-numbers.js";
import { type FsFixture, startFsFixture } from "../helpers/webhdfs-fixture.js";
import { fsCalls } from "../webhdfs/fs-calls.js";

/**
 * Issue 16, finding 1, as a class: every numeric parameter of the filesystem, sent with values around 2^31,
 * 2^53 and 2^63 (and negative, decimal, exponent and other odd forms), through every operation that reads it.
 * The emulator never answers 5xx; a value outside the parameter's documented range is 400
 * IllegalArgumentException naming it; a value inside is stored exactly; and afterwards, also after a restart,
 * the account answers every request and its files can be deleted.
 */
const RUNS = Number(process.env.ADLKIT_FUZZ_NUMBER_RUNS ?? 600);
const SEED = process.env.ADLKIT_FUZZ_SEED ? Number(process.env.ADLKIT_FUZZ_SEED) : undefined;
const YEAR_9999_END = 253402300799999n;
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const INT32 = 2n ** 31n - 1n;

/** The documented range of each numeric parameter (the README's table). */
const RANGES: Record<string, [bigint, bigint]> = {
  offset: [0n, SAFE],
  length: [0n, SAFE],
  listSize: [1n, INT32],
  expireTime: [0n, YEAR_9999_END],
  modificationtime: [-1n, YEAR_9999_END],
  accesstime: [-1n, YEAR_9999_END],
  buffersize: [1n, INT32],
  blocksize: [1n, SAFE],
  replication: [1n, 32767n],
};

/** Whether `value` is what the parameter accepts (an empty value means "absent", an error where required). */
function accepted(op: string, name: string, value: string): boolean {
  if (value === "") return name !== "expireTime" && op !== "SETPERMISSION";
  if (name === "permission") return /^[01]?[0-7]{1,3}$/.test(value);
  if (!/^-?\d+$/.test(value)) return false;
  const [min, max] = RANGES[name]!;
  const n = BigInt(value);
  return n >= min && n <= max;
}

let fx: FsFixture;
let fs: ReturnType<typeof fsCalls>;
beforeAll(async () => {
  fx = await startFsFixture("fuzznum");
  fs = fsCalls(fx);
});
afterAll(() => fx?.close());

describe("numeric parameters at the edges", () => {
  it(`${RUNS} calls: never 5xx, out of range is 400 IllegalArgumentException, in range is stored exactly`, async () => {
    const outcomes = { refused: 0, accepted: 0, otherRefusal: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...NUMERIC_PARAMETER_CALLS),
        edgeInteger,
        async ([op, method, name, fixed], value) => {
          expect((await fs.create("/n/file", "0123456789", "overwrite=true")).status).toBe(201);
          const target = op === "LISTSTATUS" || op === "MKDIRS" ? "/n" : "/n/file";
          const query = `op=${op}&${fixed ? `${fixed}&` : ""}${name}=${encodeURIComponent(value)}`;
          const res = await fx.call(method, target, query, op === "APPEND" ? { body: "x" } : {});
          const what = `${method} ${query} -> ${res.status} ${res.text.slice(0, 300)}`;
          expect(res.status, what).toBeLessThan(500);
          if (!accepted(op, name, value)) {
            expect(res.status, what).toBe(400);
            const remote = res.json().RemoteException;
            expect(remote.exception, what).toBe("IllegalArgumentException");
            expect(remote.message.toLowerCase(), what).toContain(name.toLowerCase());
            outcomes.refused++;
            return;
          }
          if (res.status >= 400) {
            // In range, yet refused for what it means here: an offset other than the file's end, or a relative
            // expiry that ends after year 9999.
            const exception = res.json().RemoteException.exception;
            const why =
              (name === "offset" && (exception === "BadOffsetException" || res.status === 403)) ||
              (op === "SETEXPIRY" && exception === "IllegalArgumentException");
            expect(why, what).toBe(true);
            outcomes.otherRefusal++;
            return;
          }
          outcomes.accepted++;
          if (op === "SETTIMES" && value !== "" && value !== "-1") {
            const status = await fs.fileStatus("/n/file");
            expect(name === "modificationtime" ? status.modificationTime : status.accessTime, what).toBe(
              Number(value) || 0,
            );
          }
          if (op === "SETEXPIRY" && fixed === "expiryOption=Absolute" && BigInt(value) > BigInt(Date.now())) {
            expect((await fs.fileStatus("/n/file")).msExpirationTime, what).toBe(Number(value));
          }
        },
      ),
      { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}), endOnFailure: true },
    );
    console.log(`fuzz-numbers: ${RUNS} calls: ${JSON.stringify(outcomes)}`);
    expect(outcomes.refused).toBeGreaterThan(RUNS / 4);
    expect(outcomes.accepted).toBeGreaterThan(RUNS / 20);

    // The account keeps answering, also after a restart, and everything in it can be deleted.
    for (const round of ["now", "after a restart"]) {
      if (round !== "now") await fx.emu.restart();
      expect((await fs.list("/")).status, round).toBe(200);
      expect((await fs.list("/n")).status, round).toBe(200);
      expect((await fs.op("GET", "/", "op=GETCONTENTSUMMARY")).status, round).toBe(200);
      expect((await fs.create("/alive", "ok")).status, round).toBe(201);
      expect(await fs.content("/alive"), round).toBe("ok");
    }
    expect((await fs.op("DELETE", "/n", "op=DELETE&recursive=true")).status).toBe(200);
    expect(await fs.exists("/n")).toBe(false);
  }, 300_000);
});
