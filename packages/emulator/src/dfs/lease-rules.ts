import type { LeaseRecord } from "../store/path-state.js";
import { StorageError } from "./errors.js";

/**
 * The lease of a path (reference §2.8, §3.5) as pure rules over a stored record and the time: what state it is
 * in now, what each lease action makes of it, and the refusals. One lease per path, whichever API took it (the
 * DataLake SDKs lease through the Blob API, ABFS through the DFS one). The record is stored by lease-store.ts.
 */

/**
 * A stored lease: `id` (a GUID, compared case-insensitively), `duration` (seconds, 15–60, or -1 for infinite),
 * `expiresAt` (ms; 0 for an infinite lease), and once broken `breakAt`, when the break period ends (ms).
 */
export type { LeaseRecord };

export type LeaseState = "available" | "leased" | "expired" | "breaking" | "broken";

/** The state of `record` at `now` (no record: available). */
export function leaseState(record: LeaseRecord | undefined, now: number): LeaseState {
  if (!record) return "available";
  if (record.breakAt !== undefined) return now < record.breakAt ? "breaking" : "broken";
  if (record.duration !== -1 && now >= record.expiresAt) return "expired";
  return "leased";
}

/** Whether the lease holds the path now: writes then need its id. */
export function isLocked(state: LeaseState): boolean {
  return state === "leased" || state === "breaking";
}

/** The `x-ms-lease-*` headers of GET and HEAD. */
export function leaseHeaders(record: LeaseRecord | undefined, now: number): Record<string, string> {
  const state = leaseState(record, now);
  const headers: Record<string, string> = {
    "x-ms-lease-status": isLocked(state) ? "locked" : "unlocked",
    "x-ms-lease-state": state,
  };
  if (state === "leased") headers["x-ms-lease-duration"] = record!.duration === -1 ? "infinite" : "fixed";
  return headers;
}

const conflict = (code: string, message: string) => new StorageError(409, code, message);

export const leaseErrors = {
  alreadyPresent: () => conflict("LeaseAlreadyPresent", "There is already a lease present."),
  notPresentWithLeaseOperation: () =>
    conflict("LeaseNotPresentWithLeaseOperation", "There is currently no lease on the blob."),
  idMismatchWithLeaseOperation: () =>
    conflict(
      "LeaseIdMismatchWithLeaseOperation",
      "The lease ID specified did not match the lease ID for the blob.",
    ),
  breakingCannotBeAcquired: () =>
    conflict(
      "LeaseIsBreakingAndCannotBeAcquired",
      "There is already a breaking lease present on the blob and it cannot be acquired.",
    ),
  breakingCannotBeChanged: () =>
    conflict(
      "LeaseIsBreakingAndCannotBeChanged",
      "The lease ID matched, but the lease is currently in breaking state and cannot be changed.",
    ),
  brokenCannotBeRenewed: () =>
    conflict(
      "LeaseIsBrokenAndCannotBeRenewed",
      "The lease ID matched, but the lease has been broken explicitly and cannot be renewed.",
    ),
  /** A write without the id of the lease that holds the path. */
  idMissing: () =>
    new StorageError(
      412,
      "LeaseIdMissing",
      "There is currently a lease on the resource and no lease ID was specified in the request.",
    ),
  /** A write with another id than the lease's (Blob names a blob's and a container's differently). */
  idMismatch: (target: "Blob" | "Container" = "Blob") =>
    new StorageError(
      412,
      "LeaseIdMismatch",
      "The lease ID specified did not match the lease ID for the resource.",
      {
        blob: {
          code: `LeaseIdMismatchWith${target}Operation`,
          message: `The lease ID specified did not match the lease ID for the ${target.toLowerCase()}.`,
        },
      },
    ),
  /** A write with a lease id when no lease holds the path. */
  notPresent: (target: "Blob" | "Container" = "Blob") =>
    new StorageError(412, "LeaseNotPresent", "There is currently no lease on the resource.", {
      blob: {
        code: `LeaseNotPresentWith${target}Operation`,
        message: `There is currently no lease on the ${target.toLowerCase()}.`,
      },
    }),
};

const sameId = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * Whether a write carrying `leaseId` (undefined: none) may change a path whose lease is `record`: a locked path
 * needs its id; an id sent to a path no lease holds is refused too, as the service does.
 */
export function checkWrite(
  record: LeaseRecord | undefined,
  leaseId: string | undefined,
  now: number,
  options: { target?: "Blob" | "Container"; idOptional?: boolean } = {},
): void {
  const state = leaseState(record, now);
  if (isLocked(state)) {
    if (leaseId === undefined) {
      if (options.idOptional) return;
      throw leaseErrors.idMissing();
    }
    if (!sameId(leaseId, record!.id)) throw leaseErrors.idMismatch(options.target);
    return;
  }
  if (leaseId !== undefined) throw leaseErrors.notPresent(options.target);
}

/** Acquire: a new lease, or the same id again (which renews it). */
export function acquire(
  record: LeaseRecord | undefined,
  now: number,
  id: string,
  duration: number,
): LeaseRecord {
  const state = leaseState(record, now);
  if (state === "breaking") throw leaseErrors.breakingCannotBeAcquired();
  if (state === "leased" && !sameId(record!.id, id)) throw leaseErrors.alreadyPresent();
  return { id, duration, expiresAt: duration === -1 ? 0 : now + duration * 1000 };
}

/** Renew: the lease's own id, leased or expired (not broken). */
export function renew(record: LeaseRecord | undefined, now: number, id: string): LeaseRecord {
  if (!record) throw leaseErrors.notPresentWithLeaseOperation();
  if (!sameId(record.id, id)) throw leaseErrors.idMismatchWithLeaseOperation();
  if (record.breakAt !== undefined) throw leaseErrors.brokenCannotBeRenewed();
  return { ...record, expiresAt: record.duration === -1 ? 0 : now + record.duration * 1000 };
}

/** Change: the current id for a proposed one, on a lease that holds the path. */
export function change(
  record: LeaseRecord | undefined,
  now: number,
  id: string,
  proposed: string,
): LeaseRecord {
  const state = leaseState(record, now);
  if (state === "breaking") throw leaseErrors.breakingCannotBeChanged();
  if (state !== "leased") throw leaseErrors.notPresentWithLeaseOperation();
  if (!sameId(record!.id, id) && !sameId(record!.id, proposed))
    throw leaseErrors.idMismatchWithLeaseOperation();
  return { ...record!, id: proposed };
}

/** Release: ends the lease at once, whatever its state, given its id. */
export function release(record: LeaseRecord | undefined, id: string): undefined {
  if (!record) throw leaseErrors.notPresentWithLeaseOperation();
  if (!sameId(record.id, id)) throw leaseErrors.idMismatchWithLeaseOperation();
  return undefined;
}

/**
 * Break: the lease ends after `period` seconds (default: what is left of a fixed lease, 0 for an infinite one),
 * never later than it would have; the id is no longer needed after. Returns the record and the seconds left.
 */
export function breakLease(
  record: LeaseRecord | undefined,
  now: number,
  period: number | undefined,
): { record: LeaseRecord; seconds: number } {
  const state = leaseState(record, now);
  if (state === "available") throw leaseErrors.notPresentWithLeaseOperation();
  if (state === "broken" || state === "expired")
    return { record: { ...record!, breakAt: record!.breakAt ?? now }, seconds: 0 };
  const remaining = record!.duration === -1 ? Number.POSITIVE_INFINITY : record!.expiresAt - now;
  let breakAt =
    now +
    Math.min(period === undefined ? (record!.duration === -1 ? 0 : remaining) : period * 1000, remaining);
  // A second break may shorten the period, never lengthen it.
  if (record!.breakAt !== undefined) breakAt = Math.min(breakAt, record!.breakAt);
  return { record: { ...record!, breakAt }, seconds: Math.ceil(Math.max(0, breakAt - now) / 1000) };
}
