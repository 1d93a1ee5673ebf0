import { isIPv4, isIPv6 } from "node:net";
import type { RequestContext } from "../http/context.js";
import { BodyTooLargeError, describeLimit, readSmallBody } from "../http/respond.js";
import { badRequest, invalidRequestContent } from "./arm-error.js";

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads the whole (small) request body; the router does it once, before any state is looked at. */
export async function readBodyText(ctx: RequestContext): Promise<string> {
  try {
    return await readSmallBody(ctx.req, 4 * 1024 * 1024);
  } catch (err) {
    if (err instanceof BodyTooLargeError)
      throw badRequest("RequestEntityTooLarge", `The request body exceeds ${describeLimit(err.limit)}.`);
    throw err;
  }
}

/** The request body as a JSON object; `optional` bodies may be empty (PATCH of a rule). */
export function parseJsonObject(text: string, optional = false): Json {
  if (text.trim() === "") {
    if (optional) return {};
    throw invalidRequestContent("the request body is empty; a JSON object is required.");
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    // V8 quotes a few characters of the input; a body can hold keys or secrets, so only the position is kept.
    const why = (err as Error).message.replace(/,? (\.\.\.)?".*"(\.\.\.)? is not valid JSON$/s, "");
    throw invalidRequestContent(`the body is not valid JSON (${why}).`);
  }
  if (!isObject(value)) throw invalidRequestContent("the body must be a JSON object.");
  return value;
}

/** `tags`: at most 50 string pairs; names up to 512 characters, values up to 256 (ARM's limits). */
export function parseTags(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isObject(value))
    throw badRequest("InvalidTag", "'tags' must be an object of string names to string values.", "tags");
  const entries = Object.entries(value);
  if (entries.length > 50)
    throw badRequest(
      "InvalidTag",
      `A resource can have at most 50 tags; ${entries.length} were given.`,
      "tags",
    );
  const tags: Record<string, string> = {};
  for (const [name, tagValue] of entries) {
    if (name.length === 0 || name.length > 512 || /[<>%&\\?/]/.test(name)) {
      throw badRequest(
        "InvalidTagNameCharacters",
        `The tag name '${name}' is empty, longer than 512 characters or contains one of < > % & \\ ? /.`,
        "tags",
      );
    }
    if (typeof tagValue !== "string" || tagValue.length > 256) {
      throw badRequest(
        "InvalidTag",
        `The value of tag '${name}' must be a string of at most 256 characters.`,
        "tags",
      );
    }
    tags[name] = tagValue;
  }
  return tags;
}

/** A required non-empty `location`. */
export function requireLocation(body: Json): string {
  const location = body.location;
  if (location === undefined || location === null || location === "") {
    throw badRequest(
      "LocationRequired",
      "The location property is required for this definition.",
      "location",
    );
  }
  if (typeof location !== "string" || location.length > 100 || !/^[A-Za-z0-9 ()-]+$/.test(location)) {
    throw badRequest(
      "InvalidLocation",
      `The location ${shownValue(location)} is not a valid Azure location name.`,
      "location",
    );
  }
  return location;
}

/** ARM's normal form of a location: `East US 2` → `eastus2`. */
export function normalizeLocation(location: string): string {
  return location.replace(/\s+/g, "").toLowerCase();
}

/** Resource group names: 1-90 letters, digits, `-`, `_`, `.`, `(`, `)`, not ending with `.`. */
export function checkResourceGroupName(name: string): void {
  if (name.length < 1 || name.length > 90 || !/^[-\p{L}\p{N}_.()]+$/u.test(name) || name.endsWith(".")) {
    throw badRequest(
      "InvalidResourceGroup",
      `The provided resource group name '${name}' is invalid. It must be 1-90 characters of letters, digits, '-', '_', '.', '(' or ')', and must not end with '.'.`,
      "resourceGroupName",
    );
  }
}

export const ACCOUNT_NAME = /^[a-z0-9]{3,24}$/;

/** Data Lake Store account names become DNS labels: 3-24 lower-case letters and digits. */
export function checkAccountName(name: string): void {
  if (!ACCOUNT_NAME.test(name)) {
    throw badRequest(
      "InvalidResourceName",
      `The account name '${name}' is invalid. It must be 3 to 24 characters long and contain only lower-case letters and digits.`,
      "accountName",
    );
  }
}

/**
 * A value a client sent, as an error message may show it: short values as JSON; anything longer only by its
 * size, since a caller who pasted a key or a token into the wrong field must not see it echoed (or logged).
 */
export function shownValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length <= 40
    ? text
    : `a ${Array.isArray(value) ? "list" : typeof value} of ${text.length} characters`;
}

/** One of `allowed`, case-insensitively; answers with the canonical spelling. */
export function enumValue<T extends string>(value: unknown, allowed: readonly T[], target: string): T {
  const match =
    typeof value === "string" ? allowed.find((a) => a.toLowerCase() === value.toLowerCase()) : undefined;
  if (!match) {
    throw badRequest(
      "InvalidRequestContent",
      `'${target}' must be one of ${allowed.join(", ")}; got ${shownValue(value)}.`,
      target,
    );
  }
  return match;
}

export function requireString(value: unknown, target: string, maxLength = 2048): string {
  if (typeof value !== "string" || value.trim() === "" || value.length > maxLength) {
    throw badRequest(
      "InvalidRequestContent",
      `'${target}' is required and must be a non-empty string of at most ${maxLength} characters.`,
      target,
    );
  }
  return value;
}

/** An IP address as a number, with its family, for range comparisons. */
export function parseIp(value: unknown, target: string): { family: 4 | 6; value: bigint; text: string } {
  if (typeof value === "string" && isIPv4(value)) {
    const parts = value.split(".").map(Number);
    return {
      family: 4,
      value: BigInt(((parts[0]! * 256 + parts[1]!) * 256 + parts[2]!) * 256 + parts[3]!),
      text: value,
    };
  }
  if (typeof value === "string" && isIPv6(value))
    return { family: 6, value: ipv6ToBigInt(value), text: value };
  throw badRequest(
    "InvalidIpAddress",
    `'${target}' must be an IPv4 or IPv6 address; got ${JSON.stringify(value)}.`,
    target,
  );
}

function ipv6ToBigInt(address: string): bigint {
  let text = address.split("%")[0]!;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const p = v4[1]!.split(".").map(Number);
    text = `${text.slice(0, -v4[1]!.length)}${((p[0]! << 8) | p[1]!).toString(16)}:${((p[2]! << 8) | p[3]!).toString(16)}`;
  }
  const [head, tail] = text.split("::") as [string, string | undefined];
  const headParts = head ? head.split(":") : [];
  const tailParts = tail ? tail.split(":") : [];
  const groups =
    tail === undefined
      ? headParts
      : [...headParts, ...Array(8 - headParts.length - tailParts.length).fill("0"), ...tailParts];
  return groups.reduce((acc, g) => (acc << 16n) + BigInt(Number.parseInt(g || "0", 16)), 0n);
}
