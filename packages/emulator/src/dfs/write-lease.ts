import type { FsNode } from "../store/metadata-store.js";
import { StorageError, storageErrors } from "./errors.js";
import { leaseDuration, requiredLeaseId } from "./lease.js";
import { acquire, checkWrite, release, renew } from "./lease-rules.js";
import { header } from "./params.js";
import type { StorageRequest } from "./request.js";

/**
 * `x-ms-lease-action` on append and flush (x-ms-version 2020-08-04 and later, reference §2.7): the lease changes
 * in the same transaction as the write it rides on, so a write that fails leaves the lease as it was.
 * - `acquire`: takes the lease `x-ms-proposed-lease-id` for `x-ms-lease-duration` (both required), and the write
 *   goes through under it; a lease held by another id is 409 LeaseAlreadyPresent.
 * - `auto-renew`: renews the lease `x-ms-lease-id` (required), as a renew does (an expired lease too).
 * - `release`: the write under `x-ms-lease-id` (required), after which the lease ends.
 * - `acquire-release`: acquire, write, release: the write is done as the lease's holder and leaves the file
 *   unleased; `x-ms-lease-duration` may be left out (the lease never outlives the request).
 * `release` and `acquire-release` end the lease "once the data is flushed", so they need a flush (an append
 * with `flush=true`); on a bare append they are 400 InvalidHeaderValue, as is an unknown action or a bad id or
 * duration. With an older x-ms-version the header is 400 UnsupportedHeader.
 */

const ACTIONS = ["acquire", "auto-renew", "release", "acquire-release"] as const;
type Action = (typeof ACTIONS)[number];

export interface WriteLease {
  action: Action;
  /** The id the write holds: `x-ms-lease-id`, or for acquire the proposed one. */
  id: string;
  /** acquire, acquire-release: the duration of the new lease (-1: infinite). */
  duration: number;
}

/** The first version that knows lease actions on writes. */
const FIRST_VERSION = "2020-08-04";

/** Reads and checks the request's lease action (before anything is stored); undefined when it sends none. */
export function writeLeaseOf(req: StorageRequest, flushes: boolean): WriteLease | undefined {
  const raw = header(req.headers, "x-ms-lease-action");
  if (raw === undefined) return undefined;
  const version = header(req.headers, "x-ms-version");
  if (version !== undefined && version < FIRST_VERSION)
    throw new StorageError(
      400,
      "UnsupportedHeader",
      `One of the HTTP headers specified in the request is not supported. x-ms-lease-action on append and flush needs x-ms-version ${FIRST_VERSION} or later.`,
    );
  const action = raw.trim().toLowerCase() as Action;
  if (!ACTIONS.includes(action))
    throw storageErrors.invalidHeader(
      "x-ms-lease-action",
      raw,
      "On append and flush the lease action is acquire, auto-renew, release or acquire-release.",
    );
  if ((action === "release" || action === "acquire-release") && !flushes)
    throw storageErrors.invalidHeader(
      "x-ms-lease-action",
      raw,
      `${action} ends the lease once the data is flushed: it needs a flush (or an append with flush=true).`,
    );
  if (action === "auto-renew" || action === "release")
    return { action, id: requiredLeaseId(req, "x-ms-lease-id"), duration: 0 };
  const id = requiredLeaseId(req, "x-ms-proposed-lease-id");
  const duration =
    action === "acquire-release" && header(req.headers, "x-ms-lease-duration") === undefined
      ? -1
      : leaseDuration(req);
  return { action, id, duration };
}

/**
 * Inside the write's transaction, in place of `requireLease`: applies acquire or auto-renew, then refuses the
 * write unless it holds the path's lease (or no lease holds it and it names none).
 */
export function leaseForWrite(req: StorageRequest, node: FsNode, lease: WriteLease, now: number): void {
  const current = req.state.lease(node.id);
  if (lease.action === "acquire" || lease.action === "acquire-release")
    req.state.setLease(node.id, acquire(current, now, lease.id, lease.duration));
  else if (lease.action === "auto-renew") req.state.setLease(node.id, renew(current, now, lease.id));
  checkWrite(req.state.lease(node.id), lease.id, now);
}

/** After the write, in its transaction: ends the lease for release and acquire-release. */
export function leaseAfterWrite(req: StorageRequest, node: FsNode, lease: WriteLease): void {
  if (lease.action === "release" || lease.action === "acquire-release")
    req.state.setLease(node.id, release(req.state.lease(node.id), lease.id));
}

/** Before a body is read: refuses a write the lease would refuse, so a leased file costs no upload. */
export function precheckWriteLease(req: StorageRequest, node: FsNode, lease: WriteLease): void {
  const current = req.state.lease(node.id);
  const now = Date.now();
  if (lease.action === "acquire" || lease.action === "acquire-release") acquire(current, now, lease.id, 15);
  else if (lease.action === "auto-renew") renew(current, now, lease.id);
  else checkWrite(current, lease.id, now);
}
