/**
 * The text forms of permissions: `aclSpec` entries (`[default:]user|group|mask|other:[id]:rwx`), permission
 * triples and octal permission parameters (protocol §4.16, §4.17, §6.13). Pure.
 */

/** One entry of an `aclSpec`; `perm` is absent in REMOVEACLENTRIES specs. */
export interface SpecEntry {
  scope: "access" | "default";
  type: "user" | "group" | "mask" | "other";
  id: string;
  perm?: number;
}

export class AclSpecError extends Error {
  override name = "AclSpecError";
}

/** Parses a permission parameter: 1–4 octal digits, an optional leading 0/1 (sticky bit). */
export function parsePermission(text: string): { sticky: boolean; bits: number } | undefined {
  if (!/^[01]?[0-7]{1,3}$/.test(text)) return undefined;
  const value = Number.parseInt(text, 8);
  return { sticky: text.length === 4 && text[0] === "1", bits: value & 0o777 };
}

export function parseAclSpec(text: string, options: { withPermissions: boolean }): SpecEntry[] {
  const entries: SpecEntry[] = [];
  for (const raw of text.split(",")) {
    const item = raw.trim();
    if (item === "") continue;
    const parts = item.split(":").map((part) => part.trim());
    const scope = parts[0]?.toLowerCase() === "default" ? "default" : "access";
    if (scope === "default") parts.shift();
    const type = parts[0]?.toLowerCase();
    if (type !== "user" && type !== "group" && type !== "mask" && type !== "other") {
      throw new AclSpecError(`'${item}' is not an ACL entry: the type must be user, group, mask or other.`);
    }
    const id = parts[1] ?? "";
    if ((type === "mask" || type === "other") && id !== "")
      throw new AclSpecError(`'${item}': ${type} entries have no name.`);
    const entry: SpecEntry = { scope, type, id };
    if (options.withPermissions) {
      if (parts.length !== 3)
        throw new AclSpecError(`'${item}' must have the form [default:]type:[name]:rwx.`);
      entry.perm = parsePermTriple(parts[2]!, item);
    } else if (parts.length > 3 || (parts.length === 3 && parts[2] !== "")) {
      throw new AclSpecError(`'${item}': entries to remove carry no permissions.`);
    }
    if (entries.some((e) => e.scope === scope && e.type === type && e.id === id))
      throw new AclSpecError(`'${item}' is listed twice.`);
    entries.push(entry);
  }
  if (entries.length === 0) throw new AclSpecError("The ACL spec is empty.");
  return entries;
}

function parsePermTriple(text: string, item: string): number {
  const match = /^([r-])([w-])([x-])$/i.exec(text);
  if (!match) throw new AclSpecError(`'${item}': permissions must look like rwx, r-x or ---.`);
  return (match[1] === "-" ? 0 : 4) | (match[2] === "-" ? 0 : 2) | (match[3] === "-" ? 0 : 1);
}

export function permTriple(perm: number): string {
  return `${perm & 4 ? "r" : "-"}${perm & 2 ? "w" : "-"}${perm & 1 ? "x" : "-"}`;
}
