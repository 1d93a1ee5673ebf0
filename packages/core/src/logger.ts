import { redactText } from "./sanitizer.js";

/** The shape of `@azure/logger`'s AzureLogger: one function per level. */
export interface Logger {
  error(message: string): void;
  warning(message: string): void;
  info(message: string): void;
  verbose(message: string): void;
}

export type LogLevel = "error" | "warning" | "info" | "verbose";
const ORDER: Record<LogLevel, number> = { error: 0, warning: 1, info: 2, verbose: 3 };

/** A logger that drops everything: libraries never print unless asked to. */
export const silentLogger: Logger = Object.freeze({ error() {}, warning() {}, info() {}, verbose() {} });

/** The level from `ADLKIT_LOG_LEVEL` or `AZURE_LOG_LEVEL`, if one is set to a known value. */
export function logLevelFromEnv(env: NodeJS.ProcessEnv = process.env): LogLevel | undefined {
  const value = (env.ADLKIT_LOG_LEVEL ?? env.AZURE_LOG_LEVEL)?.toLowerCase();
  return value && value in ORDER ? (value as LogLevel) : undefined;
}

/**
 * A logger writing `[namespace] level: message` lines to `write` (stderr by default) at or above `level`.
 * Every message passes the sanitizer first, so a token that slipped into a message is still not printed.
 */
export function createLogger(
  namespace: string,
  level: LogLevel,
  write: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Logger {
  const make = (at: LogLevel) => (message: string) => {
    if (ORDER[at] <= ORDER[level]) write(`[${namespace}] ${at}: ${redactText(message)}`);
  };
  return { error: make("error"), warning: make("warning"), info: make("info"), verbose: make("verbose") };
}

/** Fills in missing methods of a partial logger and sanitizes what reaches it. */
export function normalizeLogger(logger: Partial<Logger> | undefined, namespace: string): Logger {
  if (!logger) {
    const level = logLevelFromEnv();
    return level ? createLogger(namespace, level) : silentLogger;
  }
  const wrap = (fn: ((m: string) => void) | undefined) => (message: string) => fn?.(redactText(message));
  return {
    error: wrap(logger.error),
    warning: wrap(logger.warning),
    info: wrap(logger.info),
    verbose: wrap(logger.verbose),
  };
}
