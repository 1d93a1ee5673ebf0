import { describe, expect, test } from "vitest";
import type { AclState } from "../store/acl.js";
import type { FsNode, ListRow } from "../store/metadata-store.js";
import { fileStatus, fileStatusesBody } from "./file-status.js";

const plain: AclState = { sticky: false, access: { user: 7, group: 5, other: 0, named: [] } };
const extended: AclState = {
  sticky: true,
  access: { user: 7, group: 5, other: 0, mask: 5, named: [{ kind: "user", id: "u-1", perm: 5 }] },
};
const acls = new Map([
  [JSON.stringify(plain), plain],
  [JSON.stringify(extended), extended],
]);

function node(row: ListRow): FsNode {
  const [name, kind, length, created, modified, owner, group, acl, expiry] = row;
  return {
    ...{ id: 2, parent: 1, name, kind: kind as FsNode["kind"], length, created, modified, owner, group },
    ...{ acl: acls.get(acl)!, expiry, lease: null, leaseTime: 0, contextId: "c" },
  };
}

describe("fileStatusesBody", () => {
  test("is head, each fileStatus as JSON.stringify gives it, comma-separated, and tail, in UTF-8", () => {
    // Names far longer than the buffer's first estimate (320 bytes an entry), many of them multi-byte: it must grow.
    const rows: ListRow[] = Array.from({ length: 300 }, (_, i) => [
      `${"名前-é-😀-".repeat(i % 7 === 0 ? 120 : 1)}${i} "q" \\ \n`,
      i % 3 === 0 ? "directory" : "file",
      i * 1000,
      1_700_000_000_000 + i,
      1_800_000_000_000 + i,
      i % 2 ? "owner-a" : "owner-b",
      i % 5 ? "group-a" : 'gr"oup',
      JSON.stringify(i % 4 ? plain : extended),
      i % 3 === 1 ? 1_900_000_000_000 : 0,
    ]);
    const body = fileStatusesBody('{"head":[', rows, (text) => acls.get(text)!, "]}");
    const expected = `{"head":[${rows.map((row) => JSON.stringify(fileStatus(node(row), row[0]))).join(",")}]}`;
    expect(body.toString("utf8")).toBe(expected);
    expect(body.byteLength).toBe(Buffer.byteLength(expected));
  });

  test("grows for one entry of many times the estimate, in three-byte characters (the most per UTF-16 unit)", () => {
    const row: ListRow = ["名".repeat(10_000), "file", 1, 2, 3, "o", "g", JSON.stringify(plain), 0];
    const body = fileStatusesBody("[", [row], (text) => acls.get(text)!, "]");
    expect(body.toString("utf8")).toBe(`[${JSON.stringify(fileStatus(node(row), row[0]))}]`);
  });

  test("renders no rows as head and tail", () => {
    expect(fileStatusesBody("[", [], () => plain, "]").toString()).toBe("[]");
  });
});
