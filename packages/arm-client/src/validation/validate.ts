import { isIP } from "node:net";
import { checkAccountName } from "@adlkit/core";
import { describe, invalidArgument } from "../options.js";

/** ARM resource group names: 1–90 letters, digits, `-`, `_`, `.`, `(`, `)`; not ending in `.`. */
const RESOURCE_GROUP = /^[-\p{L}\p{N}_.()]{1,90}$/u;
/** What ARM forbids in any resource name: `< > % & : \ ? /` and control characters. */
const ARM_FORBIDDEN = /[<>%&:\\?/\p{Cc}]/u;

export function resourceGroupName(value: unknown, argument = "resourceGroupName"): string {
  if (typeof value !== "string" || !RESOURCE_GROUP.test(value) || value.endsWith(".")) {
    throw invalidArgument(
      argument,
      `${describe(value)} is not a valid resource group name: use 1-90 letters, digits, '-', '_', '.', '(' or ')', not ending in '.'.`,
    );
  }
  return value;
}

/** Data Lake Store account names: core's one rule (3-24 lowercase letters and digits). */
export function accountName(value: unknown, argument = "accountName"): string {
  return checkAccountName(value, argument, "@adlkit/arm-client");
}

/** Storage account names: the same rule, named for what it is. */
export function storageAccountName(value: unknown, argument = "accountName"): string {
  return checkAccountName(value, argument, "@adlkit/arm-client", "storage");
}

/** Names of firewall rules, virtual network rules and trusted identity providers. */
export function childName(value: unknown, argument: string): string {
  if (
    typeof value !== "string" ||
    value.length === 0 ||
    value.length > 260 ||
    ARM_FORBIDDEN.test(value) ||
    value.trim() !== value
  ) {
    throw invalidArgument(
      argument,
      `${describe(value)} is not a valid name: 1-260 characters without < > % & : \\ ? / or control characters.`,
    );
  }
  return value;
}

/** A region for a URL path segment: `East US 2` becomes `EastUS2`, as ARM expects "the location without whitespace". */
export function locationSegment(value: unknown, argument = "location"): string {
  if (typeof value !== "string" || !/^[A-Za-z0-9 ]+$/.test(value.trim())) {
    throw invalidArgument(
      argument,
      `${describe(value)} is not a region: use a name such as 'eastus2' or 'East US 2'.`,
    );
  }
  return value.replace(/\s+/g, "");
}

/** A region in a request body: a non-empty string, sent as given. */
export function location(value: unknown, argument = "parameters.location"): string {
  if (typeof value !== "string" || !value.trim()) {
    throw invalidArgument(
      argument,
      `is required: the region to create in, e.g. 'eastus2' (got ${describe(value)}).`,
    );
  }
  return value;
}

export function object(value: unknown, argument: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalidArgument(
      argument,
      `must be an object, got ${Array.isArray(value) ? "an array" : describe(value)}.`,
    );
  }
  return value as Record<string, unknown>;
}

export function optionalObject(value: unknown, argument: string): Record<string, unknown> | undefined {
  return value === undefined ? undefined : object(value, argument);
}

export function nonEmptyString(value: unknown, argument: string): string {
  if (typeof value !== "string" || !value.trim())
    throw invalidArgument(argument, `must be a non-empty string, got ${describe(value)}.`);
  return value;
}

export function optionalString(value: unknown, argument: string): string | undefined {
  return value === undefined ? undefined : nonEmptyString(value, argument);
}

/** ARM tags: at most 50; names 1-512 characters, values up to 256, all strings. */
export function tags(value: unknown, argument: string): void {
  if (value === undefined) return;
  const map = object(value, argument);
  const entries = Object.entries(map);
  if (entries.length > 50)
    throw invalidArgument(argument, `has ${entries.length} tags; Resource Manager allows at most 50.`);
  for (const [key, v] of entries) {
    if (key.length === 0 || key.length > 512)
      throw invalidArgument(`${argument}`, `has a tag name of ${key.length} characters; use 1-512.`);
    if (typeof v !== "string")
      throw invalidArgument(`${argument}.${key}`, `must be a string, got ${describe(v)}.`);
    if (v.length > 256)
      throw invalidArgument(
        `${argument}.${key}`,
        `is ${v.length} characters; tag values may have at most 256.`,
      );
  }
}

export function ipAddress(value: unknown, argument: string): 4 | 6 {
  const family = typeof value === "string" ? isIP(value) : 0;
  if (family !== 4 && family !== 6)
    throw invalidArgument(argument, `must be an IPv4 or IPv6 address, got ${describe(value)}.`);
  return family;
}

/** Start and end of a firewall range: both addresses, of the same family. */
export function ipRange(start: unknown, end: unknown, argument: string, required: boolean): void {
  const startFamily =
    start === undefined && !required ? undefined : ipAddress(start, `${argument}.startIpAddress`);
  const endFamily = end === undefined && !required ? undefined : ipAddress(end, `${argument}.endIpAddress`);
  if (startFamily && endFamily && startFamily !== endFamily) {
    throw invalidArgument(
      argument,
      `mixes IPv${startFamily} and IPv${endFamily}: start and end must be the same family.`,
    );
  }
}

export function optionalBoolean(value: unknown, argument: string): boolean | undefined {
  if (value !== undefined && typeof value !== "boolean")
    throw invalidArgument(argument, `must be true or false, got ${describe(value)}.`);
  return value;
}

export function positiveInteger(value: unknown, argument: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw invalidArgument(argument, `must be an integer >= 1, got ${describe(value)}.`);
  }
  return value;
}

export function oneOf<T extends string>(
  value: unknown,
  allowed: readonly T[],
  argument: string,
): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !allowed.includes(value as T)) {
    throw invalidArgument(argument, `must be one of ${allowed.join(", ")}, got ${describe(value)}.`);
  }
  return value as T;
}

/** The abort signal of an options bag, checked to be one. */
export function abortSignalOf(options: unknown, argument = "options"): AbortSignal | undefined {
  if (options === undefined) return undefined;
  const bag = object(options, argument);
  const signal = bag.abortSignal;
  if (signal !== undefined && !(signal instanceof AbortSignal))
    throw invalidArgument(`${argument}.abortSignal`, "must be an AbortSignal.");
  return signal as AbortSignal | undefined;
}

/** Options of a `begin…` method: an abort signal and an optional poll interval. */
export function beginOptions(options: unknown): void {
  abortSignalOf(options);
  const interval = (options as { pollIntervalInMs?: unknown } | undefined)?.pollIntervalInMs;
  if (
    interval !== undefined &&
    (typeof interval !== "number" || !Number.isFinite(interval) || interval < 0)
  ) {
    throw invalidArgument("options.pollIntervalInMs", `must be a number >= 0, got ${describe(interval)}.`);
  }
}

/** Rejects an argument with a message of its own. */
export function fail(argument: string, problem: string): never {
  throw invalidArgument(argument, problem);
}
