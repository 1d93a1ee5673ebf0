/**
 * POSIX-style permissions and ACLs of one item (protocol §6.13), as pure functions over plain data.
 * Permission bits are numbers 0–7 (r=4, w=2, x=1). When an item has a mask, the group digit of its permission
 * string shows the mask and SETPERMISSION's group digit sets it, as in HDFS.
 */

import { AclSpecError, permTriple, type SpecEntry } from "./acl-spec.js";

export interface NamedEntry {
  kind: "user" | "group";
  id: string;
  perm: number;
}

/** One complete ACL (access or default): the base entries, named entries and, when extended, a mask. */
export interface AclSet {
  user: number;
  group: number;
  other: number;
  mask?: number;
  named: NamedEntry[];
}

export interface AclState {
  sticky: boolean;
  access: AclSet;
  /** Directories only: what new children inherit. */
  defaults?: AclSet;
}

export { AclSpecError, parseAclSpec, parsePermission, permTriple, type SpecEntry } from "./acl-spec.js";

/**
 * Most entries one ACL (access, or default) may hold, its base entries and mask included: HDFS's limit, which
 * Data Lake Storage documents as well (32, so at most 28 named entries). It also bounds what every permission
 * check on the item costs.
 */
export const MAX_ACL_ENTRIES = 32;

/** `state` unchanged when each of its ACLs is within MAX_ACL_ENTRIES; else an AclSpecError. */
export function checkAclSize(state: AclState): AclState {
  for (const [scope, set] of [
    ["access", state.access],
    ["default", state.defaults],
  ] as const) {
    const entries = set ? 3 + set.named.length + (set.mask === undefined ? 0 : 1) : 0;
    if (entries > MAX_ACL_ENTRIES)
      throw new AclSpecError(
        `The ${scope} ACL would have ${entries} entries; at most ${MAX_ACL_ENTRIES} are allowed.`,
      );
  }
  return state;
}

/** The fixed account umask (007): new items get `0777 & ~umask` = 770 unless a permission is given. */
export const DEFAULT_MODE = 0o770;

/** Octal without leading zeros, 4 digits when the sticky bit is set: "770", "1770". */
export function permissionString(state: AclState): string {
  const a = state.access;
  const digits = `${a.user}${a.mask ?? a.group}${a.other}`;
  return state.sticky ? `1${digits}` : digits;
}

/** `aclBit`: any named entry, a mask, or a default ACL. */
export function hasExtendedAcl(state: AclState): boolean {
  return state.access.mask !== undefined || state.access.named.length > 0 || state.defaults !== undefined;
}

/** AclStatus entries in the observed order: user::, named users, named groups, group::, mask::, other::, then defaults. */
export function aclEntries(state: AclState): string[] {
  const render = (set: AclSet, prefix: string): string[] => {
    const byId = (kind: NamedEntry["kind"]) =>
      set.named
        .filter((e) => e.kind === kind)
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .map((e) => `${prefix}${kind}:${e.id}:${permTriple(e.perm)}`);
    return [
      `${prefix}user::${permTriple(set.user)}`,
      ...byId("user"),
      ...byId("group"),
      `${prefix}group::${permTriple(set.group)}`,
      ...(set.mask !== undefined ? [`${prefix}mask::${permTriple(set.mask)}`] : []),
      `${prefix}other::${permTriple(set.other)}`,
    ];
  };
  return [...render(state.access, ""), ...(state.defaults ? render(state.defaults, "default:") : [])];
}

/** SETPERMISSION: owner, group-class (the mask when there is one) and other digits, plus the sticky bit. */
export function withPermission(state: AclState, permission: { sticky: boolean; bits: number }): AclState {
  const access = { ...state.access, user: (permission.bits >> 6) & 7, other: permission.bits & 7 };
  if (access.mask !== undefined) access.mask = (permission.bits >> 3) & 7;
  else access.group = (permission.bits >> 3) & 7;
  return { ...state, sticky: permission.sticky, access };
}

/** The ACL of a new file or directory below `parentDefaults` (§6.3): defaults are inherited, masked by the mode. */
export function newItemAcl(
  parentDefaults: AclSet | undefined,
  kind: "file" | "directory",
  requested?: { sticky: boolean; bits: number },
): AclState {
  const mode = requested?.bits ?? DEFAULT_MODE;
  const [u, g, o] = [(mode >> 6) & 7, (mode >> 3) & 7, mode & 7];
  const sticky = requested?.sticky ?? false;
  if (!parentDefaults) return { sticky, access: { user: u, group: g, other: o, named: [] } };
  const d = parentDefaults;
  const access: AclSet = {
    user: d.user & u,
    group: d.group,
    other: d.other & o,
    named: d.named.map((e) => ({ ...e })),
  };
  if (d.mask !== undefined) access.mask = d.mask & g;
  else if (d.named.length > 0) access.mask = groupClassUnion(d) & g;
  else access.group = d.group & g;
  const inherited: AclState = { sticky, access };
  if (kind === "directory") inherited.defaults = cloneSet(d);
  return inherited;
}

function cloneSet(set: AclSet): AclSet {
  return { ...set, named: set.named.map((e) => ({ ...e })) };
}

function groupClassUnion(set: AclSet): number {
  return set.named.reduce((bits, e) => bits | e.perm, set.group);
}

/** Applies access or default spec entries onto a set; returns whether group-class entries changed. */
function applyEntries(
  set: AclSet,
  entries: SpecEntry[],
): { groupClassChanged: boolean; explicitMask: boolean } {
  let groupClassChanged = false;
  let explicitMask = false;
  for (const e of entries) {
    const perm = e.perm ?? 0;
    if (e.type === "other") set.other = perm;
    else if (e.type === "mask") {
      set.mask = perm;
      explicitMask = true;
    } else if (e.id === "") {
      if (e.type === "user") set.user = perm;
      else {
        set.group = perm;
        groupClassChanged = true;
      }
    } else {
      const existing = set.named.find((n) => n.kind === e.type && n.id === e.id);
      if (existing) existing.perm = perm;
      else set.named.push({ kind: e.type, id: e.id, perm });
      groupClassChanged = true;
    }
  }
  return { groupClassChanged, explicitMask };
}

function fixMask(set: AclSet, changes: { groupClassChanged: boolean; explicitMask: boolean }): void {
  if (changes.explicitMask) return;
  if (set.named.length > 0 || (set.mask !== undefined && changes.groupClassChanged))
    set.mask = groupClassUnion(set);
}

/** SETACL: replaces the whole ACL. The spec must hold user::, group:: and other:: access entries. */
export function setAcl(state: AclState, spec: SpecEntry[], kind: "file" | "directory"): AclState {
  const access = spec.filter((e) => e.scope === "access");
  const defaults = spec.filter((e) => e.scope === "default");
  for (const type of ["user", "group", "other"] as const) {
    if (!access.some((e) => e.type === type && e.id === ""))
      throw new AclSpecError(`SETACL needs a ${type}:: entry.`);
  }
  if (defaults.length > 0 && kind === "file") throw new AclSpecError("Files cannot have a default ACL.");
  const next: AclSet = { user: 0, group: 0, other: 0, named: [] };
  fixMask(next, applyEntries(next, access));
  const result: AclState = { sticky: state.sticky, access: next };
  if (defaults.length > 0) result.defaults = buildDefaults(undefined, next, defaults);
  return result;
}

/** Default entries onto an existing default ACL, or onto one completed from the access entries (HDFS). */
function buildDefaults(existing: AclSet | undefined, access: AclSet, entries: SpecEntry[]): AclSet {
  const base = existing
    ? cloneSet(existing)
    : { user: access.user, group: access.group, other: access.other, named: [] };
  fixMask(base, applyEntries(base, entries));
  return base;
}

/** MODIFYACLENTRIES: adds or updates entries; everything else stays. */
export function modifyAcl(state: AclState, spec: SpecEntry[], kind: "file" | "directory"): AclState {
  const defaults = spec.filter((e) => e.scope === "default");
  if (defaults.length > 0 && kind === "file") throw new AclSpecError("Files cannot have a default ACL.");
  const access = cloneSet(state.access);
  fixMask(
    access,
    applyEntries(
      access,
      spec.filter((e) => e.scope === "access"),
    ),
  );
  const result: AclState = { sticky: state.sticky, access };
  const nextDefaults = defaults.length > 0 ? buildDefaults(state.defaults, access, defaults) : state.defaults;
  if (nextDefaults) result.defaults = nextDefaults;
  return result;
}

/** REMOVEACLENTRIES: removes named entries (absent ones are ignored); the mask stays and is recalculated. */
export function removeAclEntries(state: AclState, spec: SpecEntry[]): AclState {
  const strip = (set: AclSet, scope: SpecEntry["scope"]): AclSet => {
    const gone = spec.filter((e) => e.scope === scope);
    const named = set.named.filter((n) => !gone.some((e) => e.type === n.kind && e.id === n.id));
    const next = { ...set, named };
    if (gone.some((e) => e.type === "mask")) delete next.mask;
    if (named.length !== set.named.length && next.mask !== undefined) next.mask = groupClassUnion(next);
    return next;
  };
  for (const e of spec) {
    if ((e.type === "user" || e.type === "group") && e.id === "")
      throw new AclSpecError(`The base entry ${e.type}:: cannot be removed.`);
    if (e.type === "other") throw new AclSpecError("The base entry other:: cannot be removed.");
    if (e.type === "mask" && e.scope === "access" && state.access.named.length > 0)
      throw new AclSpecError("The mask is needed while named entries exist.");
  }
  const result: AclState = { sticky: state.sticky, access: strip(state.access, "access") };
  if (state.defaults) result.defaults = strip(state.defaults, "default");
  return result;
}

/** REMOVEACL: drops named access entries and the mask; base entries and the default ACL stay. */
export function removeAcl(state: AclState): AclState {
  const { user, group, other } = state.access;
  const result: AclState = { sticky: state.sticky, access: { user, group, other, named: [] } };
  if (state.defaults) result.defaults = state.defaults;
  return result;
}

export function removeDefaultAcl(state: AclState): AclState {
  return { sticky: state.sticky, access: state.access };
}

/** Who asks, for access checks. The emulator knows no group directory: a principal belongs only to its own id. */
export interface Principal {
  objectId: string;
  superUser: boolean;
}

/** The bits `principal` holds on an item (POSIX ACL evaluation: owner, named user, groups, other). */
export function effectivePermission(
  state: AclState,
  owner: string,
  group: string,
  principal: Principal,
): number {
  if (principal.superUser) return 7;
  const a = state.access;
  if (principal.objectId === owner) return a.user;
  const mask = a.mask ?? 7;
  const namedUser = a.named.find((e) => e.kind === "user" && e.id === principal.objectId);
  if (namedUser) return namedUser.perm & mask;
  let groupBits = -1;
  if (group === principal.objectId) groupBits = a.group;
  for (const e of a.named)
    if (e.kind === "group" && e.id === principal.objectId) groupBits = Math.max(groupBits, 0) | e.perm;
  if (groupBits >= 0) return groupBits & mask;
  return a.other;
}

export function allows(
  state: AclState,
  owner: string,
  group: string,
  principal: Principal,
  wanted: number,
): boolean {
  return (effectivePermission(state, owner, group, principal) & wanted) === wanted;
}

export const READ = 4;
export const WRITE = 2;
export const EXECUTE = 1;
