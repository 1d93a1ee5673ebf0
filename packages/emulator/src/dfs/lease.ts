import { randomUUID } from "node:crypto";
import { sendEmpty } from "../http/respond.js";
import { lookup, requireAccess } from "../namespace/tree.js";
import { WRITE } from "../store/acl.js";
import type { FsNode } from "../store/metadata-store.js";
import { checkConditions } from "./conditions.js";
import { storageErrors } from "./errors.js";
import { acquire, breakLease, change, checkWrite, leaseHeaders, release, renew } from "./lease-rules.js";
import { header, integerHeader } from "./params.js";
import { httpDate } from "./render.js";
import { requireAccountRight, requireFilesystem, type StorageRequest } from "./request.js";

/**
 * Path and filesystem (container) leases, both forms (reference §2.8, §3.5): DFS `POST /{fs}/{path}` and Blob `PUT ?comp=lease`, with
 * `x-ms-lease-action` acquire, renew, change, release or break. The lease is stored with the path, in the
 * namespace's database, so it survives a restart and goes when the path does; it never changes the ETag.
 * Writes check it through `requireLease`.
 */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ACTIONS = ["acquire", "renew", "change", "release", "break"] as const;
type Action = (typeof ACTIONS)[number];

/**
 * A lease id header, which must be a GUID when present. Empty is absent: Python's rename sends an empty
 * `x-ms-source-lease-id` when it has no lease.
 */
export function leaseIdHeader(req: StorageRequest, name: string): string | undefined {
  const value = header(req.headers, name);
  if (value === undefined || value.trim() === "") return undefined;
  if (!GUID.test(value.trim())) throw storageErrors.invalidHeader(name, value, `${name} must be a GUID.`);
  return value?.trim();
}

export function requiredLeaseId(req: StorageRequest, name: string): string {
  const value = leaseIdHeader(req, name);
  if (value === undefined) throw storageErrors.missingHeader(name);
  return value;
}

/** `x-ms-lease-duration`: -1 (infinite) or 15–60 seconds. */
export function leaseDuration(req: StorageRequest): number {
  const value = header(req.headers, "x-ms-lease-duration");
  if (value === undefined) throw storageErrors.missingHeader("x-ms-lease-duration");
  const seconds = integerHeader(req.headers, "x-ms-lease-duration", { min: -1, max: 60 })!;
  if (seconds !== -1 && seconds < 15)
    throw storageErrors.invalidHeader(
      "x-ms-lease-duration",
      value,
      "A lease lasts -1 (infinite) or 15 to 60 seconds.",
    );
  return seconds;
}

export async function leasePath(req: StorageRequest): Promise<void> {
  const raw = header(req.headers, "x-ms-lease-action");
  if (raw === undefined) throw storageErrors.missingHeader("x-ms-lease-action");
  const action = raw.toLowerCase() as Action;
  if (!ACTIONS.includes(action))
    throw storageErrors.invalidHeader(
      "x-ms-lease-action",
      raw,
      "The lease action is acquire, renew, change, release or break.",
    );
  // Every header is read before the transaction: a bad one is a 400 that changes nothing.
  const args = {
    id: action === "acquire" || action === "break" ? undefined : requiredLeaseId(req, "x-ms-lease-id"),
    proposed:
      action === "change"
        ? requiredLeaseId(req, "x-ms-proposed-lease-id")
        : action === "acquire"
          ? (leaseIdHeader(req, "x-ms-proposed-lease-id") ?? randomUUID())
          : undefined,
    duration: action === "acquire" ? leaseDuration(req) : undefined,
    breakPeriod:
      action === "break"
        ? integerHeader(req.headers, "x-ms-lease-break-period", { min: 0, max: 60 })
        : undefined,
  };
  // A filesystem (container) lease is an account-level right, as deleting the filesystem is.
  if (req.segments.length === 0) requireAccountRight(req);
  const outcome = await req.store.meta.commit(() => {
    const node = req.segments.length === 0 ? requireFilesystem(req) : lookup(req, req.segments).node;
    if (!node) throw storageErrors.pathNotFound();
    if (req.segments.length > 0) requireAccess(req, node, WRITE);
    checkConditions(req, node, req.state.props(node).etag);
    const now = Date.now();
    const current = req.state.lease(node.id);
    let seconds: number | undefined;
    let next = current;
    if (action === "acquire") next = acquire(current, now, args.proposed!, args.duration!);
    else if (action === "renew") next = renew(current, now, args.id!);
    else if (action === "change") next = change(current, now, args.id!, args.proposed!);
    else if (action === "release") next = release(current, args.id!);
    else ({ record: next, seconds } = breakLease(current, now, args.breakPeriod));
    req.state.setLease(node.id, next);
    return { node, id: next?.id, seconds };
  });
  const headers: Record<string, string> = {
    ETag: `"${req.state.props(outcome.node).etag}"`,
    "Last-Modified": httpDate(outcome.node.modified),
  };
  if (action === "break") headers["x-ms-lease-time"] = String(outcome.seconds);
  else if (action !== "release") headers["x-ms-lease-id"] = outcome.id!;
  sendEmpty(req.ctx.res, action === "acquire" ? 201 : action === "break" ? 202 : 200, headers);
}

/**
 * Refuses a write to `node` unless its lease allows it: a locked path needs `x-ms-lease-id` (a rename's source:
 * `x-ms-source-lease-id`), 412 LeaseIdMissing / LeaseIdMismatch; an id for a path no lease holds is 412
 * LeaseNotPresent (also for a path about to be created: `node` undefined). Call it inside the write's
 * transaction, after its conditions.
 */
export function requireLease(
  req: StorageRequest,
  node: FsNode | undefined,
  name: "x-ms-lease-id" | "x-ms-source-lease-id" = "x-ms-lease-id",
): void {
  checkWrite(node ? req.state.lease(node.id) : undefined, leaseIdHeader(req, name), Date.now());
}

/**
 * A filesystem's (container's) lease: deleting it needs the id while it is leased; other changes and reads
 * need none, but an id they send must be the lease's (Blob: `…WithContainerOperation` codes).
 */
export function requireFilesystemLease(req: StorageRequest, node: FsNode, idRequired: boolean): void {
  checkWrite(req.state.lease(node.id), leaseIdHeader(req, "x-ms-lease-id"), Date.now(), {
    target: "Container",
    idOptional: !idRequired,
  });
}

/** The lease headers of GET and HEAD for `node`. */
export function leaseHeadersOf(req: StorageRequest, node: FsNode): Record<string, string> {
  return leaseHeaders(req.state.lease(node.id), Date.now());
}
