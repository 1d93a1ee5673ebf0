import { parseMode } from "../../parse-values.js";

/**
 * Modes of `adl fs chmod`: octal (`750`, `1777`) or symbolic, as in chmod(1) and `hdfs dfs -chmod`: clauses
 * separated by commas, each `[ugoa]*` then one or more `[-+=][rwxXt]*`, e.g. `u+x`, `g-w`, `o=r`, `a+rX`,
 * `u=rwx,go=rx`, `+t`. A symbolic mode changes the current permission, so it is resolved per path.
 *
 * As in chmod(1): no `ugoa` means all three (the service has no umask to honour); `X` is execute only for a
 * directory or when some execute bit is already set; `t` (sticky) counts only where `o` is included (so `+t`,
 * `o+t`, `a+t`, not `u+t`); `=` also clears the sticky bit when `o` is included and `t` is not given.
 */
export type ModeChange =
  | { kind: "octal"; permission: string }
  | { kind: "symbolic"; text: string; clauses: Clause[] };

interface Clause {
  /** The bits the clause may touch: 0o700 for u, 0o070 for g, 0o007 for o, 0o1000 (sticky) with o. */
  who: number;
  actions: Array<{ op: "+" | "-" | "="; rwx: number; conditionalX: boolean; sticky: boolean }>;
}

const CLAUSE = /^([ugoa]*)((?:[-+=][rwxXt]*)+)$/;
const ACTION = /([-+=])([rwxXt]*)/g;
const STICKY = 0o1000;

export function parseModeChange(text: string): ModeChange {
  if (/^\d+$/.test(text)) return { kind: "octal", permission: parseMode(text) };
  const clauses = text.split(",").map((part) => {
    const match = CLAUSE.exec(part);
    if (!match) {
      throw new Error(
        `expected an octal mode like 750 or a symbolic one like u+x, g-w, o=r or a+rX, got '${text}'`,
      );
    }
    const letters = match[1] || "a";
    let who = 0;
    if (/[ua]/.test(letters)) who |= 0o700;
    if (/[ga]/.test(letters)) who |= 0o070;
    if (/[oa]/.test(letters)) who |= 0o007 | STICKY;
    const actions = [...match[2]!.matchAll(ACTION)].map(([, op, perms = ""]) => ({
      op: op as "+" | "-" | "=",
      rwx: (perms.includes("r") ? 4 : 0) | (perms.includes("w") ? 2 : 0) | (perms.includes("x") ? 1 : 0),
      conditionalX: perms.includes("X"),
      sticky: perms.includes("t"),
    }));
    return { who, actions };
  });
  return { kind: "symbolic", text, clauses };
}

/** The octal permission (`750`, `1777`) that `change` makes of `current` (WebHDFS's octal string). */
export function applyMode(change: ModeChange, current: string, directory: boolean): string {
  if (change.kind === "octal") return change.permission;
  let mode = Number.parseInt(current, 8) & (0o777 | STICKY);
  for (const { who, actions } of change.clauses) {
    for (const action of actions) {
      // X looks at the mode as it is at this point, so `u+x,a+X` gives everyone execute (as chmod does).
      const rwx = action.rwx | (action.conditionalX && (directory || (mode & 0o111) !== 0) ? 1 : 0);
      const value = ((rwx * 0o111) & who) | (action.sticky ? who & STICKY : 0);
      if (action.op === "+") mode |= value;
      else if (action.op === "-") mode &= ~value;
      else mode = (mode & ~who) | value;
    }
  }
  return formatOctal(mode);
}

function formatOctal(mode: number): string {
  const base = (mode & 0o777).toString(8).padStart(3, "0");
  return mode & STICKY ? `1${base}` : base;
}
