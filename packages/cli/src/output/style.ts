import { styleText } from "node:util";
import type { Style } from "../result.js";

/**
 * Whether to colour a stream: only a TTY, never with NO_COLOR (any value, https://no-color.org) or
 * --no-color or TERM=dumb; FORCE_COLOR turns it on regardless.
 */
export function colorEnabled(
  stream: { isTTY?: boolean | undefined },
  env: NodeJS.ProcessEnv,
  flag: boolean,
): boolean {
  if (!flag) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0") return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.TERM === "dumb") return false;
  return stream.isTTY === true;
}

export type Paint = (style: Style | undefined, text: string) => string;

export function painter(enabled: boolean): Paint {
  if (!enabled) return (_style, text) => text;
  return (style, text) => (style ? styleText(style, text, { validateStream: false }) : text);
}
