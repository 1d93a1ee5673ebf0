import fc from "fast-check";

/**
 * Numeric parameter values at the edges where integer handling breaks: around 2^31 (Java int, the HTTP
 * parsers of many stacks), 2^53 (the last integer a JavaScript number holds exactly, and what node:sqlite reads
 * back) and 2^63 (SQLite's and Java's long), each a few either way and negative too; then decimals, exponent
 * and hex forms, signs, spaces, empty and absurdly long numbers, and ordinary small values.
 */
const EDGES = [2n ** 31n, 2n ** 53n, 2n ** 63n, 2n ** 64n, 10n ** 16n, 253402300799999n];

const aroundEdges = fc
  .tuple(fc.constantFrom(...EDGES), fc.integer({ min: -3, max: 3 }), fc.boolean())
  .map(([edge, delta, negative]) => String((edge + BigInt(delta)) * (negative ? -1n : 1n)));

const oddForms = fc.oneof(
  fc.constantFrom(
    "",
    " 1",
    "1 ",
    "+1",
    "-0",
    "00",
    "0x10",
    "1e3",
    "1E+3",
    "9.007199254740993e15",
    "1.5",
    "-1.0",
    ".5",
    "NaN",
    "Infinity",
    "-Infinity",
    "1_000",
    "٣",
    "9".repeat(400),
  ),
  fc.double({ noNaN: false }).map(String),
  fc.tuple(fc.integer({ min: -9, max: 9 }), fc.integer({ min: -400, max: 400 })).map(([m, e]) => `${m}e${e}`),
);

export const edgeInteger: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: aroundEdges },
  { weight: 2, arbitrary: oddForms },
  { weight: 2, arbitrary: fc.integer({ min: -5, max: 5000 }).map(String) },
  { weight: 1, arbitrary: fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String) },
);

/**
 * Every operation that reads a numeric parameter, as [op, method, parameter, the rest of its query]; the target
 * is a file, except for LISTSTATUS and MKDIRS (its directory).
 */
export const NUMERIC_PARAMETER_CALLS: ReadonlyArray<readonly [string, string, string, string]> = [
  ["SETEXPIRY", "PUT", "expireTime", "expiryOption=Absolute"],
  ["SETEXPIRY", "PUT", "expireTime", "expiryOption=RelativeToNow"],
  ["SETEXPIRY", "PUT", "expireTime", "expiryOption=RelativeToCreationDate"],
  ["SETTIMES", "PUT", "modificationtime", ""],
  ["SETTIMES", "PUT", "accesstime", ""],
  ["OPEN", "GET", "offset", "read=true"],
  ["OPEN", "GET", "length", "read=true"],
  ["APPEND", "POST", "offset", "append=true"],
  ["LISTSTATUS", "GET", "listSize", ""],
  ["CREATE", "PUT", "buffersize", "overwrite=true"],
  ["CREATE", "PUT", "blocksize", "overwrite=true"],
  ["CREATE", "PUT", "replication", "overwrite=true"],
  ["CREATE", "PUT", "permission", "overwrite=true"],
  ["MKDIRS", "PUT", "permission", ""],
  ["SETPERMISSION", "PUT", "permission", ""],
];
