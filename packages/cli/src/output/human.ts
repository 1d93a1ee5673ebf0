import type { Writable } from "node:stream";
import type { Column, Field, Style } from "../result.js";
import type { Paint } from "./style.js";
import { write } from "./write.js";

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

/** `1536` → `1.5 KiB`; bytes below 1 KiB stay exact. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 1024) return `${bytes} B`;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${UNITS[unit]}`;
}

/** Epoch milliseconds as `2025-01-31 13:04` (UTC, so output does not depend on the machine). */
export function formatTime(ms: unknown): string {
  if (typeof ms !== "number" || !Number.isFinite(ms) || ms <= 0) return "-";
  return new Date(ms).toISOString().slice(0, 16).replace("T", " ");
}

const RWX = ["---", "--x", "-w-", "-wx", "r--", "r-x", "rw-", "rwx"];

/** WebHDFS octal permission (`755`, `1777`) as `drwxr-xr-x`, with `t` for the sticky bit and `+` for ACLs. */
export function formatPermission(octal: string, directory: boolean, acl = false): string {
  const digits = octal.padStart(3, "0");
  const sticky = digits.length > 3 && digits[0] === "1";
  const [u, g, o] = digits
    .slice(-3)
    .split("")
    .map((d) => Number.parseInt(d, 8));
  let text = `${directory ? "d" : "-"}${RWX[u ?? 0]}${RWX[g ?? 0]}${RWX[o ?? 0]}`;
  if (sticky) text = text.slice(0, 9) + (text[9] === "x" ? "t" : "T");
  return acl ? `${text}+` : text;
}

/** A cell's text: strings as they are, numbers and booleans printed, objects as compact JSON, nothing as `-`. */
export function cellText(value: unknown): string {
  if (value === undefined || value === null || value === "") return "-";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint")
    return String(value);
  return JSON.stringify(value);
}

/** Aligned columns separated by two spaces; the last column is not padded. */
export function formatTable(
  headers: string[],
  rows: Array<Array<{ text: string; style?: Style | undefined }>>,
  options: { align?: Array<"left" | "right" | undefined>; paint?: Paint; widths?: number[] } = {},
): string {
  const paint = options.paint ?? ((_s, t) => t);
  const widths = headers.map((h, i) =>
    Math.max(options.widths?.[i] ?? 0, h.length, ...rows.map((r) => r[i]?.text.length ?? 0)),
  );
  const line = (cells: Array<{ text: string; style?: Style | undefined }>) =>
    cells
      .map((cell, i) => {
        const last = i === cells.length - 1;
        const pad = widths[i]! - cell.text.length;
        const right = options.align?.[i] === "right";
        const padded = right ? " ".repeat(pad) + cell.text : last ? cell.text : cell.text + " ".repeat(pad);
        return right || !last ? paint(cell.style, padded) : paint(cell.style, cell.text);
      })
      .join("  ")
      .trimEnd();
  const head = line(headers.map((h) => ({ text: h, style: "bold" as const })));
  return `${[head, ...rows.map(line)].join("\n")}\n`;
}

/** Flattens nested objects to dotted keys; arrays of objects become their count, arrays of scalars a list. */
export function flatten(data: Record<string, unknown>, prefix = ""): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  for (const [key, value] of Object.entries(data)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (value && typeof value === "object" && !Array.isArray(value))
      out.push(...flatten(value as Record<string, unknown>, name));
    else if (Array.isArray(value) && value.some((v) => v && typeof v === "object"))
      out.push([name, `${value.length} item(s)`]);
    else if (Array.isArray(value)) out.push([name, value.join(", ")]);
    else out.push([name, value]);
  }
  return out;
}

/** One object as `label: value` lines, labels aligned. */
export function formatRecord(data: Record<string, unknown>, fields?: Field[], paint?: Paint): string {
  const pairs: Array<[string, unknown]> = fields ? fields.map((f) => [f.label, f.get(data)]) : flatten(data);
  if (pairs.length === 0) return "";
  const width = Math.max(...pairs.map(([label]) => label.length));
  const p = paint ?? ((_s, t) => t);
  return `${pairs.map(([label, value]) => `${p("dim", `${label}:`.padEnd(width + 1))} ${cellText(value)}`).join("\n")}\n`;
}

/** How many rows are collected before the first lines are written (so columns line up for most listings). */
export const TABLE_BATCH = 1000;

/**
 * Writes a table as items arrive: rows are collected in batches, each batch written once full, with columns
 * at least as wide as in earlier batches. An empty listing prints nothing (not even the header).
 */
export async function writeTable<T>(
  stream: Writable,
  items: AsyncIterable<T> | Iterable<T>,
  columns: Column<T>[],
  paint: Paint,
): Promise<number> {
  const headers = columns.map((c) => c.header);
  const align = columns.map((c) => c.align);
  let widths = headers.map((h) => h.length);
  let batch: Array<Array<{ text: string; style?: Style | undefined }>> = [];
  let count = 0;
  let first = true;
  const flush = async () => {
    if (batch.length === 0) return;
    widths = widths.map((w, i) => Math.max(w, ...batch.map((r) => r[i]!.text.length)));
    let text = formatTable(headers, batch, { align, paint, widths });
    if (!first) text = text.slice(text.indexOf("\n") + 1);
    first = false;
    batch = [];
    await write(stream, text);
  };
  for await (const item of items) {
    batch.push(columns.map((c) => ({ text: cellText(c.get(item)), style: c.style?.(item) })));
    count++;
    if (batch.length >= TABLE_BATCH) await flush();
  }
  await flush();
  return count;
}
