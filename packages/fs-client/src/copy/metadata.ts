import type { AclStatus, OperationOptions } from "../types.js";
import type { RemoteSide, Side } from "./endpoints.js";
import type { PreserveItem } from "./options.js";
import type { NotCarried } from "./report.js";

/** What is carried onto one destination path, and what cannot be (with the reason). */
export interface Carry {
  acl?: string[] | undefined;
  owner?: string | undefined;
  group?: string | undefined;
  permission?: string | undefined;
  /** Absolute expiry in ms since the epoch (to Gen1 or Gen2; Gen2 keeps whole seconds). */
  expiry?: number | undefined;
  notCarried: NotCarried[];
}

/** Gen2 takes at most 32 entries per ACL (access, and default), base entries and the mask included. */
const GEN2_MAX_ENTRIES = 32;
const OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The source's access control (one request per path), with the expiry its listing or status showed. */
export async function readMetadata(
  side: RemoteSide,
  entry: { path: string; expiry?: number | undefined },
  options: OperationOptions,
): Promise<{ acl: AclStatus; expiry: number }> {
  return { acl: await side.client.getAclStatus(entry.path, options), expiry: entry.expiry ?? 0 };
}

function qualifierOf(entry: string): string {
  return entry.replace(/^default:/, "").split(":")[1] ?? "";
}

/** Decides what of `meta` the destination takes, and says why the rest cannot be carried. */
export function planCarry(
  meta: { acl: AclStatus; expiry: number },
  preserve: readonly PreserveItem[],
  _source: Side,
  destination: Side,
): Carry {
  const carry: Carry = { notCarried: [] };
  const toGen2 = destination.kind === "gen2";
  const identity = (who: string, what: string): boolean => {
    if (!who) return false;
    if (who === "$superuser" && destination.kind === "gen1") {
      carry.notCarried.push({
        entry: `${what}:${who}`,
        reason: "$superuser is Gen2's owner for Shared Key and SAS writers; Gen1 has no such identity",
      });
      return false;
    }
    return true;
  };
  if (preserve.includes("acl")) {
    const kept: string[] = [];
    for (const scope of ["access", "default"] as const) {
      const entries = meta.acl.entries.filter((e) => e.startsWith("default:") === (scope === "default"));
      const named = entries.filter((e) => qualifierOf(e) !== "");
      const tooMany = toGen2 && entries.length > GEN2_MAX_ENTRIES;
      for (const entry of entries) {
        const qualifier = qualifierOf(entry);
        if (qualifier && tooMany) {
          carry.notCarried.push({
            entry,
            reason: `the ${scope} ACL has ${entries.length} entries (${named.length} named); Gen2 takes at most ${GEN2_MAX_ENTRIES} per ACL`,
          });
        } else if (qualifier && !OBJECT_ID.test(qualifier) && !(toGen2 && qualifier.includes("@"))) {
          carry.notCarried.push({ entry, reason: `'${qualifier}' is not an Entra object id` });
        } else kept.push(entry);
      }
    }
    // With entries dropped the mask may not match the rest: the service recomputes it when it is left out.
    carry.acl = carry.notCarried.length > 0 ? kept.filter((e) => !/^(default:)?mask:/.test(e)) : kept;
  }
  if (preserve.includes("owner")) {
    if (identity(meta.acl.owner, "owner")) carry.owner = meta.acl.owner;
    if (identity(meta.acl.group, "group")) carry.group = meta.acl.group;
  }
  if (preserve.includes("permissions")) {
    const bits = meta.acl.permission.replace(/^0+(?=\d{3})/, "");
    const sticky = meta.acl.stickyBit || bits.length === 4;
    // A whole ACL carried sets the nine bits already (user::, group:: or mask::, other::); only the sticky bit,
    // or bits without an ACL, need their own request.
    if (sticky || !carry.acl) carry.permission = sticky && bits.length === 3 ? `1${bits}` : bits;
  }
  if (preserve.length > 0 && meta.expiry > 0) {
    if (destination.kind !== "local") carry.expiry = meta.expiry;
    else
      carry.notCarried.push({
        entry: `expiry:${new Date(meta.expiry).toISOString()}`,
        reason: "the destination cannot expire files",
      });
  }
  return carry;
}

/** Whether a plan carries anything at all. */
export function carriesSomething(carry: Carry): boolean {
  return Boolean(carry.acl || carry.owner || carry.group || carry.permission || carry.expiry);
}

/** What a Gen2 create can set itself (`x-ms-acl`, `x-ms-owner`, `x-ms-group`, `x-ms-permissions`). */
export interface CreateCarry {
  acl?: string[] | undefined;
  owner?: string | undefined;
  group?: string | undefined;
  permission?: string | undefined;
}

/**
 * The whole plan as part of a Gen2 create, when that is safe: the copy writes the staging file and reads it back
 * as its owner (or as superuser, the only caller a create may hand to another owner), so the carried ACL or bits
 * must let the owner read and write. Otherwise, and for an ACL with permission bits beside it (the service takes
 * the two in one request only for setAccessControl's refusal to be learnt the hard way), undefined: the plan is
 * applied once the bytes are verified.
 */
export function carryOnCreate(carry: Carry): CreateCarry | undefined {
  if (carry.expiry || (carry.acl?.length && carry.permission)) return undefined;
  const owner = carry.acl?.length
    ? carry.acl.find((e) => e.startsWith("user::"))?.slice("user::".length)
    : carry.permission
      ? ["---", "--x", "-w-", "-wx", "r--", "r-x", "rw-", "rwx"][Number(carry.permission.slice(-3, -2))]
      : "rw-"; // the service's default mode for a file
  if (!owner?.startsWith("rw")) return undefined;
  return {
    acl: carry.acl?.length ? carry.acl : undefined,
    owner: carry.owner,
    group: carry.group,
    permission: carry.permission,
  };
}

/** Applies a plan: ACL first, then permission bits (incl. sticky), then owner and group, then expiry. */
export async function applyCarry(
  destination: RemoteSide,
  path: string,
  carry: Carry,
  options: OperationOptions,
): Promise<void> {
  const fs = destination.client;
  if (carry.acl && carry.acl.length > 0) await fs.setAcl(path, carry.acl, options);
  if (carry.permission) await fs.setPermission(path, carry.permission, options);
  if (carry.owner || carry.group)
    await fs.setOwner(path, { owner: carry.owner, group: carry.group }, options);
  if (carry.expiry) await destination.client.setExpiry(path, "Absolute", carry.expiry, options);
}
