import type { TierType } from "@adlkit/arm-client";

/**
 * Pure parsers of option values. They throw a plain Error with a short reason; the argument parser turns
 * it into a usage error (exit code 2) that names the option.
 */

const SIZE_UNITS: Record<string, number> = {
  "": 1,
  b: 1,
  k: 1024,
  kb: 1000,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1000 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1000 ** 3,
  gib: 1024 ** 3,
};

/**
 * `4194304`, `4M`, `4MiB`, `64mb`, `1.5G` → bytes (`K`/`M`/`G` are binary, `KB`/`MB`/`GB` decimal), within `range`
 * (in bytes) when one is given.
 */
export function parseSize(value: string, range?: { min: number; max: number }): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  const unit = match?.[2]?.toLowerCase() ?? "";
  if (!match || !(unit in SIZE_UNITS))
    throw new Error(`expected a size like 4194304, 4M or 64MiB, got '${value}'`);
  const bytes = Math.round(Number(match[1]) * SIZE_UNITS[unit]!);
  if (!Number.isSafeInteger(bytes) || bytes < 1)
    throw new Error(`expected a size of at least 1 byte, got '${value}'`);
  if (range && (bytes < range.min || bytes > range.max))
    throw new Error(
      `expected a size from ${binarySize(range.min)} to ${binarySize(range.max)}, got '${value}'`,
    );
  return bytes;
}

/** `1048576` → `1M`: a size as the user would type it (whole binary units only). */
function binarySize(bytes: number): string {
  for (const [unit, factor] of [
    ["G", 1024 ** 3],
    ["M", 1024 ** 2],
    ["K", 1024],
  ] as const)
    if (bytes % factor === 0) return `${bytes / factor}${unit}`;
  return String(bytes);
}

/** A whole number between `min` and `max`. */
export function parseInteger(value: string, min = 1, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^\s*-?\d+\s*$/.test(value)) throw new Error(`expected a whole number, got '${value}'`);
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min || n > max)
    throw new Error(`expected a number from ${min} to ${max}, got '${value}'`);
  return n;
}

const DURATION_UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** `90s`, `15m`, `12h`, `30d`, `2w` (or plain milliseconds) → milliseconds; at least `minMs`. */
export function parseDuration(value: string, minMs = 1): number {
  const match = /^\s*(\d+)\s*(ms|s|m|h|d|w)?\s*$/i.exec(value);
  if (!match) throw new Error(`expected a duration like 90s, 15m, 12h or 30d, got '${value}'`);
  const ms = Number(match[1]) * DURATION_UNITS[(match[2] ?? "ms").toLowerCase()]!;
  if (!Number.isSafeInteger(ms) || ms < minMs)
    throw new Error(`expected a duration of at least ${minMs} ms, got '${value}'`);
  return ms;
}

/** An ISO 8601 date or date-time → epoch milliseconds. */
export function parseDate(value: string): number {
  if (!/^\d{4}-\d{2}-\d{2}/.test(value))
    throw new Error(`expected an ISO date like 2030-01-31 or 2030-01-31T12:00:00Z, got '${value}'`);
  const ms = Date.parse(value);
  if (Number.isNaN(ms))
    throw new Error(`expected an ISO date like 2030-01-31 or 2030-01-31T12:00:00Z, got '${value}'`);
  return ms;
}

/** `key=value`, repeatable, collected into one object (`--tag env=dev --tag team=data`). */
export function parseTag(
  value: string,
  previous: Record<string, string> | undefined,
): Record<string, string> {
  const at = value.indexOf("=");
  if (at <= 0) throw new Error(`expected key=value, got '${value}'`);
  return { ...(previous ?? {}), [value.slice(0, at)]: value.slice(at + 1) };
}

/** Octal permission for WebHDFS: `755`, `0644`, `1777`. */
export function parseMode(value: string): string {
  if (!/^[0-1]?[0-7]{3}$/.test(value.replace(/^0(?=\d{4}$)/, ""))) {
    throw new Error(`expected an octal mode like 755 or 1777, got '${value}'`);
  }
  return value.length === 4 && value.startsWith("0") ? value.slice(1) : value;
}

/** `Enabled`/`Disabled` from `enabled`, `on`, `true`, `disabled`, `off`, `false`. */
export function parseEnabled(value: string): "Enabled" | "Disabled" {
  const v = value.toLowerCase();
  if (["enabled", "enable", "on", "true", "yes"].includes(v)) return "Enabled";
  if (["disabled", "disable", "off", "false", "no"].includes(v)) return "Disabled";
  throw new Error(`expected Enabled or Disabled, got '${value}'`);
}

/**
 * The pricing tiers, spelled out here rather than imported from @adlkit/arm-client so that building the command
 * table (every `adl` run, `--help` included) does not load the client; the type check keeps the two in step.
 */
export const TIERS = [
  "Consumption",
  "Commitment_1TB",
  "Commitment_10TB",
  "Commitment_100TB",
  "Commitment_500TB",
  "Commitment_1PB",
  "Commitment_5PB",
] as const satisfies readonly TierType[];
