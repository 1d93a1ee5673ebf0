import type { EmulatorServices } from "../http/context.js";
import type { OperationRow } from "./models.js";
import type { ArmStore } from "./store.js";

/** Finishes an operation of one kind: applies its effect and says how it ended. */
export type Completer = (op: OperationRow) => {
  status: "Succeeded" | "Failed" | "Canceled";
  error?: { code: string; message: string };
  /** Effects outside arm.db (the filesystem directory), run once the outcome has been committed. */
  afterCommit?: () => void;
};

/** Undoes what a started operation of one kind did, when it is to fail (a `fail-operation` fault). */
export type Failer = (op: OperationRow) => void;

/**
 * If nobody polls, an operation still completes this long after its last expected poll would have come,
 * as the real service finishes without being watched (a `--no-wait` create, a fire-and-forget delete).
 */
const UNWATCHED_GRACE_MS = 30_000;

/**
 * Long-running-operation records, kept in the ARM database so a poll after a restart still works.
 * An operation reports `InProgress` for `config.arm.lroPolls` polls (read when it starts), then completes
 * on the next one: polls of its `Azure-AsyncOperation` or `Location` URL, and GETs of the resource itself
 * (which body-polling clients use) all count. `settleDue()` completes operations nobody watched.
 */
export class Operations {
  readonly #store: ArmStore;
  readonly #services: EmulatorServices;
  readonly #completers: Record<OperationRow["kind"], Completer>;
  readonly #failers: Record<OperationRow["kind"], Failer>;

  constructor(
    store: ArmStore,
    services: EmulatorServices,
    completers: Record<OperationRow["kind"], Completer>,
    failers: Record<OperationRow["kind"], Failer>,
  ) {
    this.#store = store;
    this.#services = services;
    this.#completers = completers;
    this.#failers = failers;
  }

  /**
   * Records a new running operation (inside the caller's transaction, with the change it tracks). `failWith`
   * (from a `fail-operation` fault on the request) makes it end Failed instead of completing.
   */
  start(
    init: Pick<OperationRow, "id" | "subscription" | "kind" | "locationKey" | "target">,
    failWith?: OperationRow["failWith"] | undefined,
  ): OperationRow {
    const { lroPolls, retryAfterSeconds } = this.#services.config.arm;
    const now = Date.now();
    const op: OperationRow = {
      ...init,
      status: "InProgress",
      pollsRemaining: Math.floor(lroPolls),
      deadline: now + lroPolls * retryAfterSeconds * 1000 + UNWATCHED_GRACE_MS,
      error: null,
      failWith: failWith ?? null,
      startedAt: new Date(now).toISOString(),
      endedAt: null,
    };
    this.#store.insertOperation(op);
    return op;
  }

  /** One poll: counts down, or completes the operation once the configured polls are used up. */
  poll(op: OperationRow): OperationRow {
    if (op.status !== "InProgress") return op;
    if (op.pollsRemaining > 0 && Date.now() < op.deadline) {
      const next = { ...op, pollsRemaining: op.pollsRemaining - 1 };
      this.#store.updateOperation(next);
      return next;
    }
    return this.complete(op);
  }

  /** Completes now, whatever the poll count (used when the deadline passed). */
  complete(op: OperationRow): OperationRow {
    let afterCommit: (() => void) | undefined;
    const done = this.#store.transaction(() => {
      const current = this.#store.operation(op.id);
      if (current?.status !== "InProgress") return current ?? op;
      const failWith = current.failWith;
      if (failWith) this.#failers[current.kind](current);
      const outcome = failWith
        ? { status: "Failed" as const, error: failWith, afterCommit: undefined }
        : this.#completers[current.kind](current);
      afterCommit = outcome.afterCommit;
      const finished: OperationRow = {
        ...current,
        status: outcome.status,
        pollsRemaining: 0,
        error: outcome.error ?? null,
        endedAt: new Date().toISOString(),
      };
      this.#store.updateOperation(finished);
      return finished;
    });
    afterCommit?.();
    return done;
  }

  /** Ends a running operation that something else made moot (a create whose account was deleted). */
  cancel(op: OperationRow, message: string): void {
    if (op.status !== "InProgress") return;
    this.#store.updateOperation({
      ...op,
      status: "Canceled",
      pollsRemaining: 0,
      error: { code: "OperationCanceled", message },
      endedAt: new Date().toISOString(),
    });
  }

  /** Completes every running operation whose deadline has passed. */
  settleDue(): void {
    for (const op of this.#store.dueOperations(Date.now())) this.complete(op);
  }

  byId(id: string): OperationRow | undefined {
    return this.#store.operation(id);
  }

  byLocation(locationKey: string): OperationRow | undefined {
    return this.#store.operationByLocation(locationKey);
  }

  running(kind: OperationRow["kind"]): OperationRow[] {
    return this.#store.runningOperations(kind);
  }
}

/** The status document of an `Azure-AsyncOperation` URL, as the DataLakeStore RP writes it. */
export function operationStatusBody(op: OperationRow): Record<string, unknown> {
  return op.error ? { status: op.status, error: op.error } : { status: op.status };
}
