import { describe, expect, test } from "vitest";
import {
  AclSpecError,
  type AclState,
  aclEntries,
  allows,
  effectivePermission,
  hasExtendedAcl,
  modifyAcl,
  newItemAcl,
  parseAclSpec,
  parsePermission,
  permissionString,
  removeAcl,
  removeAclEntries,
  removeDefaultAcl,
  setAcl,
  withPermission,
} from "./acl.js";

const fresh = (): AclState => newItemAcl(undefined, "file");
const spec = (text: string) => parseAclSpec(text, { withPermissions: true });
const owner = "owner";
const group = "group";
const who = (objectId: string, superUser = false) => ({ objectId, superUser });

describe("permissions", () => {
  test("new items are 770; a requested permission is used as given", () => {
    expect(permissionString(fresh())).toBe("770");
    expect(permissionString(newItemAcl(undefined, "directory", parsePermission("733")))).toBe("733");
  });

  test.each([
    ["0755", { sticky: false, bits: 0o755 }],
    ["1770", { sticky: true, bits: 0o770 }],
    ["7", { sticky: false, bits: 0o7 }],
  ])("parsePermission(%s)", (text, expected) => {
    expect(parsePermission(text)).toEqual(expected);
  });

  test.each(["77777", "3-12", "2770", "8", "", "rwx"])("parsePermission(%s) is invalid", (text) => {
    expect(parsePermission(text)).toBeUndefined();
  });

  test("SETPERMISSION sets the mask, not group::, when the ACL is extended", () => {
    const extended = modifyAcl(fresh(), spec("user:u:rwx"), "file");
    const changed = withPermission(extended, { sticky: false, bits: 0o750 });
    expect(aclEntries(changed)).toEqual(["user::rwx", "user:u:rwx", "group::rwx", "mask::r-x", "other::---"]);
    expect(permissionString(changed)).toBe("750");
  });
});

describe("aclSpec parsing", () => {
  test("entries with and without names, default scope, upper-case X", () => {
    expect(spec("user::rwx, default:group:g:r-X ,mask::r--")).toEqual([
      { scope: "access", type: "user", id: "", perm: 7 },
      { scope: "default", type: "group", id: "g", perm: 5 },
      { scope: "access", type: "mask", id: "", perm: 4 },
    ]);
    expect(parseAclSpec("user:u,default:user:u", { withPermissions: false })).toHaveLength(2);
  });

  test.each(["", "bogus::rwx", "user:u", "user:u:rwz", "mask:m:rwx", "user:u:rwx,user:u:r--"])(
    "'%s' is refused",
    (text) => {
      expect(() => spec(text)).toThrow(AclSpecError);
    },
  );
});

describe("ACL changes (§4.16)", () => {
  test("MODIFYACLENTRIES adds a named entry and a computed mask", () => {
    const next = modifyAcl(fresh(), spec("user:u:r-x"), "file");
    expect(aclEntries(next)).toEqual(["user::rwx", "user:u:r-x", "group::rwx", "mask::rwx", "other::---"]);
    expect(hasExtendedAcl(next)).toBe(true);
  });

  test("REMOVEACLENTRIES keeps the mask; REMOVEACL goes back to the base entries", () => {
    const named = modifyAcl(fresh(), spec("user:u:r-x"), "file");
    const removed = removeAclEntries(named, parseAclSpec("user:u", { withPermissions: false }));
    expect(aclEntries(removed)).toEqual(["user::rwx", "group::rwx", "mask::rwx", "other::---"]);
    expect(aclEntries(removeAcl(named))).toEqual(["user::rwx", "group::rwx", "other::---"]);
    expect(hasExtendedAcl(removeAcl(named))).toBe(false);
  });

  test("SETACL needs the base entries, completes default entries and refuses defaults on files", () => {
    expect(() => setAcl(fresh(), spec("user:u:rwx"), "file")).toThrow(AclSpecError);
    expect(() => setAcl(fresh(), spec("user::rwx,group::r-x,other::---,default:user:u:rwx"), "file")).toThrow(
      AclSpecError,
    );
    const dir = setAcl(fresh(), spec("user::rwx,group::r-x,other::---,default:user:u:rwx"), "directory");
    expect(aclEntries(dir)).toEqual([
      "user::rwx",
      "group::r-x",
      "other::---",
      "default:user::rwx",
      "default:user:u:rwx",
      "default:group::r-x",
      "default:mask::rwx",
      "default:other::---",
    ]);
    expect(removeDefaultAcl(dir).defaults).toBeUndefined();
  });

  test("named entries are listed users first, then groups, each sorted by id", () => {
    const acl = modifyAcl(fresh(), spec("group:g2:r--,user:u2:r--,group:g1:r--,user:u1:r--"), "file");
    expect(aclEntries(acl).slice(1, 5)).toEqual([
      "user:u1:r--",
      "user:u2:r--",
      "group:g1:r--",
      "group:g2:r--",
    ]);
  });
});

describe("inheritance (§6.3)", () => {
  const parent = setAcl(
    fresh(),
    spec("user::rwx,group::r-x,other::---,default:user:u:rwx,default:other::r--"),
    "directory",
  );

  test("a file gets the default entries as its access ACL, masked by the mode, and no defaults", () => {
    const file = newItemAcl(parent.defaults, "file");
    expect(aclEntries(file)).toEqual(["user::rwx", "user:u:rwx", "group::r-x", "mask::rwx", "other::---"]);
  });

  test("a directory also inherits the default ACL", () => {
    const dir = newItemAcl(parent.defaults, "directory");
    expect(aclEntries(dir).filter((e) => e.startsWith("default:"))).toEqual(
      aclEntries(parent).filter((e) => e.startsWith("default:")),
    );
  });

  test("a requested permission masks user::, mask:: and other::", () => {
    const file = newItemAcl(parent.defaults, "file", { sticky: false, bits: 0o754 });
    expect(aclEntries(file)).toEqual(["user::rwx", "user:u:rwx", "group::r-x", "mask::r-x", "other::r--"]);
  });
});

describe("access evaluation (§6.13)", () => {
  const acl = withPermission(modifyAcl(fresh(), spec("user:named:rwx,group:team:rw-"), "file"), {
    sticky: false,
    bits: 0o751,
  });

  test("owner → user::, named user → entry ∧ mask, group → union ∧ mask, others → other::", () => {
    expect(effectivePermission(acl, owner, group, who(owner))).toBe(7);
    expect(effectivePermission(acl, owner, group, who("named"))).toBe(5);
    expect(effectivePermission(acl, owner, group, who("team"))).toBe(4);
    expect(effectivePermission(acl, owner, group, who(group))).toBe(5);
    expect(effectivePermission(acl, owner, group, who("stranger"))).toBe(1);
  });

  test("the owner is not exempt; super-users are", () => {
    const readOnly = withPermission(fresh(), { sticky: false, bits: 0o555 });
    expect(allows(readOnly, owner, group, who(owner), 2)).toBe(false);
    expect(allows(readOnly, owner, group, who("root", true), 7)).toBe(true);
  });
});
