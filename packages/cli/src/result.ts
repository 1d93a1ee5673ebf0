/** What a command returns: data only. Rendering (human or JSON) is `output/`'s job. */

export interface Column<T = Record<string, unknown>> {
  header: string;
  get: (item: T) => unknown;
  align?: "left" | "right";
  /** Colour role of the cell in human output. */
  style?: (item: T) => Style | undefined;
}

export type Style = "bold" | "dim" | "blue" | "green" | "yellow" | "red";

export interface Field {
  label: string;
  get: (data: Record<string, unknown>) => unknown;
}

interface Common {
  /** Human only, on stderr, one line, not with -q: what was done ("Created resource group rg1"). */
  message?: string | undefined;
  /** Exit code when the command succeeded but the answer is "no" (`fs test`). @default 0 */
  exitCode?: number | undefined;
}

/** One object: a key/value list for humans, the object itself in JSON. */
export interface RecordResult extends Common {
  kind: "record";
  data: Record<string, unknown>;
  /** Which fields humans see; all (flattened) when absent. */
  fields?: Field[] | undefined;
  /**
   * A summary that humans see only with -v: the one-line message says enough (`put`, `get`). --json always
   * has it.
   */
  detail?: boolean | undefined;
  /** Run after the output is written (e.g. keep the emulator running until Ctrl-C). */
  after?: (() => Promise<void>) | undefined;
}

/** Many objects, possibly arriving page by page: a table for humans, a JSON array streamed item by item. */
export interface ListResult<T = Record<string, unknown>> extends Common {
  kind: "list";
  items: AsyncIterable<T> | Iterable<T>;
  columns: Column<T>[];
  /** JSON form of one item. @default the item */
  toJson?: ((item: T) => unknown) | undefined;
  /** Said on stderr (humans only) when there is nothing to list, so stdout stays data. @default "Nothing to list." */
  empty?: string | undefined;
}

/** Nothing to show but a confirmation: the message for humans, `data` in JSON. */
export interface MessageResult extends Common {
  kind: "message";
  message: string;
  data: Record<string, unknown>;
}

/** The command wrote bytes to stdout itself (`fs cat`, `fs get … -`). */
export interface RawResult extends Common {
  kind: "raw";
}

export type Result = RecordResult | ListResult<never> | MessageResult | RawResult;

/** Helps a command build a typed list result. */
export function list<T>(
  items: AsyncIterable<T> | Iterable<T>,
  columns: Column<T>[],
  extra: Partial<ListResult<T>> = {},
): Result {
  return { kind: "list", items, columns, ...extra } as unknown as Result;
}
