import type { ArmPoller } from "@adlkit/arm-client";
import type { Context } from "../context.js";
import { UsageError } from "../errors.js";
import type { Field } from "../result.js";

/** Deleting needs --yes: there is no undo. */
export function requireYes(options: { yes?: boolean }, what: string): void {
  if (!options.yes) throw new UsageError(`deleting ${what} cannot be undone: pass --yes to confirm`);
}

/** Waits for a long-running operation with a spinner (on a TTY), or only until the service accepted it. */
export async function follow<T>(
  poller: ArmPoller<T>,
  ctx: Context,
  options: { wait: boolean; label: string },
): Promise<{ done: true; result: T } | { done: false; status: string }> {
  if (!options.wait) {
    await poller.submitted();
    return poller.isDone
      ? { done: true, result: await poller.pollUntilDone({ abortSignal: ctx.signal }) }
      : { done: false, status: poller.operationState.status };
  }
  const spinner = ctx.progress.spinner(`${options.label}…`);
  const unsubscribe = poller.onProgress((state) =>
    spinner.update(
      `${options.label}… (${state.status}${state.pollCount ? `, ${state.pollCount} poll(s)` : ""})`,
    ),
  );
  try {
    return { done: true, result: await poller.pollUntilDone({ abortSignal: ctx.signal }) };
  } finally {
    unsubscribe();
    spinner.stop();
  }
}

/** `key=value, key2=value2` for tags. */
export function tagsText(tags: unknown): string {
  if (!tags || typeof tags !== "object") return "-";
  const entries = Object.entries(tags as Record<string, string>);
  return entries.length === 0 ? "-" : entries.map(([k, v]) => `${k}=${v}`).join(", ");
}

/** The resource group segment of an ARM id. */
export function groupOf(id: unknown): string | undefined {
  return typeof id === "string" ? /\/resourceGroups\/([^/]+)/i.exec(id)?.[1] : undefined;
}

export function field(label: string, path: string): Field {
  return {
    label,
    get: (data) =>
      path
        .split(".")
        .reduce<unknown>(
          (v, key) => (v && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined),
          data,
        ),
  };
}

/**
 * Whether a resource is there, by reading it: a 404 means no, except that a missing resource group or
 * subscription is an error of its own (it says what to create first).
 */
export async function resourceExists(read: () => Promise<unknown>): Promise<boolean> {
  try {
    await read();
    return true;
  } catch (err) {
    const { status, code } = err as { status?: unknown; code?: unknown };
    if (status === 404 && code !== "ResourceGroupNotFound" && code !== "SubscriptionNotFound") return false;
    throw err;
  }
}
