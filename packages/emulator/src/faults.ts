/** Which part of the emulator a request belongs to. */
export type Area = "entra" | "arm" | "fs" | "storage" | "msi" | "admin";

/**
 * What a fault does to a request:
 * - `reset-request`: the connection is reset while the request body is arriving (after `afterBytes` bytes);
 *   nothing is applied.
 * - `reset-response`: the request is applied, then the connection is reset after `afterBytes` bytes of the
 *   response body.
 * - `lose-response`: the request is applied, then the connection is closed without any response, as when a
 *   response is lost on the way back (the client must find out what happened, e.g. with offsets).
 * - `fail-operation`: the request is served as usual, but the long-running operation it starts (an account
 *   creation, a resource group deletion) ends `Failed` with `errorCode` and `errorMessage`, as a provider-side
 *   failure would: a created account is left in provisioning state `Failed`, a group being deleted stays.
 */
export type FaultAction = "reset-request" | "reset-response" | "lose-response" | "fail-operation";

const ACTIONS: readonly FaultAction[] = [
  "reset-request",
  "reset-response",
  "lose-response",
  "fail-operation",
];

/** One way to make requests fail on purpose. Rules are checked in order; the first that fires wins. */
export interface FaultRule {
  /** Status to answer with instead of serving the request (429, 500, 503, ...). */
  status?: number;
  /** A connection-level failure instead of a status. */
  action?: FaultAction;
  /** For `reset-request` and `reset-response`: bytes let through before the reset. @default 0 */
  afterBytes?: number;
  /** For `fail-operation`: the operation's error code. @default "InternalServerError" */
  errorCode?: string;
  /** For `fail-operation`: the operation's error message. @default one that names the emulator's fault */
  errorMessage?: string;
  /** `Retry-After` seconds sent with `status`. */
  retryAfterSeconds?: number;
  /** Delay before the request is served (or failed). */
  latencyMs?: number;
  /** Fire with this probability (0..1). */
  probability?: number;
  /** Fire on every Nth matching request (1 = every one). */
  everyNth?: number;
  /** Limit to an area, an operation (WebHDFS `op`, case-insensitive) or an HTTP method. */
  area?: Area;
  op?: string;
  method?: string;
  /** Stop after firing this many times. */
  times?: number;
}

export interface FaultDecision {
  rule: FaultRule;
  description: string;
}

/** Decides, per request, whether a configured fault applies. State changes at run time through the admin API. */
export class FaultInjector {
  #rules: Array<{ rule: FaultRule; seen: number; fired: number }> = [];

  set(rules: FaultRule[]): void {
    for (const rule of rules) validateRule(rule);
    this.#rules = rules.map((rule) => ({ rule, seen: 0, fired: 0 }));
  }

  list(): FaultRule[] {
    return this.#rules.map((r) => r.rule);
  }

  clear(): void {
    this.#rules = [];
  }

  pick(request: { area: Area; op?: string | undefined; method: string }): FaultDecision | undefined {
    for (const state of this.#rules) {
      const { rule } = state;
      if (rule.area && rule.area !== request.area) continue;
      if (rule.op && rule.op.toUpperCase() !== request.op?.toUpperCase()) continue;
      if (rule.method && rule.method.toUpperCase() !== request.method) continue;
      if (rule.times !== undefined && state.fired >= rule.times) continue;
      state.seen++;
      const byNth = rule.everyNth === undefined || state.seen % rule.everyNth === 0;
      const byChance = rule.probability === undefined || Math.random() < rule.probability;
      if (!byNth || !byChance) continue;
      state.fired++;
      const parts = [
        rule.latencyMs ? `latency ${rule.latencyMs}ms` : "",
        rule.status ? `status ${rule.status}` : "",
        rule.action ?? "",
      ];
      return { rule, description: parts.filter(Boolean).join(", ") };
    }
    return undefined;
  }
}

function validateRule(rule: FaultRule): void {
  if (
    rule.status !== undefined &&
    (!Number.isInteger(rule.status) || rule.status < 400 || rule.status > 599)
  ) {
    throw new Error(`fault status must be an HTTP error status (400-599), got ${rule.status}`);
  }
  if (rule.probability !== undefined && !(rule.probability >= 0 && rule.probability <= 1)) {
    throw new Error(`fault probability must be between 0 and 1, got ${rule.probability}`);
  }
  if (rule.everyNth !== undefined && !(Number.isInteger(rule.everyNth) && rule.everyNth >= 1)) {
    throw new Error(`fault everyNth must be an integer >= 1, got ${rule.everyNth}`);
  }
  if (rule.action !== undefined && !ACTIONS.includes(rule.action)) {
    throw new Error(`fault action must be one of ${ACTIONS.join(", ")}, got ${rule.action}`);
  }
  for (const field of ["errorCode", "errorMessage"] as const) {
    const value = rule[field];
    if (value === undefined) continue;
    if (rule.action !== "fail-operation") throw new Error(`fault ${field} needs the action fail-operation`);
    if (typeof value !== "string" || value.length === 0 || value.length > 500)
      throw new Error(`fault ${field} must be a string of 1 to 500 characters`);
  }
  if (rule.action !== undefined && rule.status !== undefined) {
    throw new Error("a fault has either a status or an action, not both");
  }
  if (rule.afterBytes !== undefined && !(Number.isInteger(rule.afterBytes) && rule.afterBytes >= 0)) {
    throw new Error(`fault afterBytes must be an integer >= 0, got ${rule.afterBytes}`);
  }
  if (rule.status === undefined && rule.latencyMs === undefined && rule.action === undefined) {
    throw new Error("a fault needs a status, an action or a latencyMs");
  }
}
