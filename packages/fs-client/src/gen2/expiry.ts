import { checkExpireTime } from "../operations/write.js";
import { invalidArgument } from "../options.js";
import type { ExpiryOption, OperationOptions } from "../types.js";
import type { Dfs } from "./dfs.js";

/**
 * File expiry on Gen2: Set Blob Expiry (`PUT ?comp=expiry`), which the service offers on the Blob endpoint only
 * (both DataLake SDKs call it there too). It takes Gen1's options under one other name (RelativeToCreationDate is
 * `RelativeToCreation`), relative times in ms as Gen1 does, but an absolute time as an HTTP date: whole seconds.
 * The instant set shows on a plain HEAD (`x-ms-expiry-time`) and in listings (`expiryTime`).
 */

const WIRE_OPTION: Record<ExpiryOption, string> = {
  NeverExpire: "NeverExpire",
  RelativeToNow: "RelativeToNow",
  RelativeToCreationDate: "RelativeToCreation",
  Absolute: "Absolute",
};

/** The last instant an HTTP date can name (9999-12-31T23:59:59Z), in ms. */
const LAST_HTTP_DATE = Date.UTC(9999, 11, 31, 23, 59, 59);

export async function setExpiry(
  dfs: Dfs,
  path: string,
  expiryOption: ExpiryOption,
  expireTime?: number,
  options: OperationOptions = {},
): Promise<void> {
  const wire = Object.hasOwn(WIRE_OPTION, expiryOption) ? WIRE_OPTION[expiryOption] : undefined;
  if (!wire)
    throw invalidArgument(
      "expiryOption",
      `must be one of ${Object.keys(WIRE_OPTION).join(", ")}, got '${String(expiryOption)}'`,
    );
  checkExpireTime(expiryOption, expireTime);
  const headers: Record<string, string> = { "x-ms-expiry-option": wire };
  if (expiryOption !== "NeverExpire") {
    if (expiryOption === "Absolute" && (expireTime as number) > LAST_HTTP_DATE)
      throw invalidArgument("expireTime", "is after 9999-12-31T23:59:59Z, the last instant Gen2 takes");
    headers["x-ms-expiry-time"] =
      expiryOption === "Absolute" ? new Date(expireTime as number).toUTCString() : String(expireTime);
  }
  await dfs.text(path, {
    method: "PUT",
    operation: "setExpiry",
    endpoint: "blob",
    params: { comp: "expiry" },
    headers,
    // Setting an expiry again sets the same instant (a relative one a moment later): safe to repeat.
    retryable: true,
    abortSignal: options.abortSignal,
  });
}

/** The expiry instant of a file in ms (0: never), from a plain HEAD, the one form that shows it (needs read). */
export async function getExpiry(dfs: Dfs, path: string, options: OperationOptions = {}): Promise<number> {
  const response = await dfs.text(path, {
    method: "HEAD",
    operation: "getProperties",
    abortSignal: options.abortSignal,
  });
  const text = response.headers.get("x-ms-expiry-time");
  return text ? Date.parse(text) || 0 : 0;
}
