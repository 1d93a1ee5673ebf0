/**
 * What each data-plane operation needs from a SAS: the account SAS resource type (`srt`) and permission letters,
 * and the service / user delegation SAS letters (any one of the listed letters suffices). Sources: the Blob and
 * DFS REST references' "Authorization" sections, the SAS permission tables (§1.3 of the Gen2 reference), and
 * the letters Hadoop ABFS's delegation SAS tests ask for per operation against the live service (read and
 * get-properties `r`; create, write and set-properties `w`; delete `d`; list `l`; get-status and get-ACL `e`;
 * rename source and destination `m`; set ACL and set permissions `p`; set owner `o`). Choices without a source
 * are marked [INF] and listed in packages/emulator/docs/gen2-conformance.md.
 */

export type StorageOperation =
  // Account level (no filesystem)
  | "service:listContainers"
  | "service:getProperties"
  | "service:getAccountInfo"
  // Filesystem (container) level
  | "container:create"
  | "container:delete"
  | "container:getProperties"
  | "container:setProperties"
  | "container:lease"
  | "container:list"
  // Path (blob, file, directory) level
  | "path:read"
  | "path:getProperties"
  | "path:getStatus"
  | "path:getAccessControl"
  | "path:create"
  | "path:append"
  | "path:write"
  | "path:delete"
  | "path:renameSource"
  | "path:renameDestination"
  | "path:setAccessControl"
  | "path:setOwner"
  | "path:lease";

export type ResourceLevel = "service" | "container" | "object";

interface Requirement {
  readonly level: ResourceLevel;
  /** Account SAS letters, any one of which grants the operation; "" = any valid SAS. */
  readonly account: string;
  /** Service and user delegation SAS letters; null = such a SAS can never do it (it is scoped below the account). */
  readonly service: string | null;
}

const REQUIREMENTS: Record<StorageOperation, Requirement> = {
  "service:listContainers": { level: "service", account: "l", service: null },
  "service:getProperties": { level: "service", account: "r", service: null },
  // Get Account Information is answered for any valid SAS (REST reference: "any SAS").
  "service:getAccountInfo": { level: "service", account: "", service: "" },
  // Create/delete a container: account SAS only (a service SAS is scoped to an existing container).
  "container:create": { level: "container", account: "cw", service: null },
  "container:delete": { level: "container", account: "d", service: null },
  "container:getProperties": { level: "container", account: "r", service: "r" },
  "container:setProperties": { level: "container", account: "w", service: "w" },
  "container:lease": { level: "container", account: "w", service: "w" },
  // List paths / list blobs.
  "container:list": { level: "container", account: "l", service: "l" },
  "path:read": { level: "object", account: "r", service: "r" },
  "path:getProperties": { level: "object", account: "r", service: "r" },
  // getStatus reveals no more than a plain HEAD (r); ABFS asks for e. [INF: r also accepted]
  "path:getStatus": { level: "object", account: "r", service: "re" },
  "path:getAccessControl": { level: "object", account: "r", service: "e" },
  "path:create": { level: "object", account: "cw", service: "cw" },
  "path:append": { level: "object", account: "aw", service: "aw" },
  // Flush, set properties/metadata/HTTP headers, Put Block/Put Block List, set expiry.
  "path:write": { level: "object", account: "w", service: "w" },
  "path:delete": { level: "object", account: "d", service: "d" },
  // Account SAS has no m: moving deletes the source and writes the destination. [INF]
  "path:renameSource": { level: "object", account: "d", service: "m" },
  "path:renameDestination": { level: "object", account: "cw", service: "m" },
  // Account SAS has no p/o (its p is "process"): changing access control is a write. [INF]
  "path:setAccessControl": { level: "object", account: "w", service: "p" },
  "path:setOwner": { level: "object", account: "w", service: "o" },
  "path:lease": { level: "object", account: "w", service: "w" },
};

export function requirementOf(operation: StorageOperation): Requirement {
  return REQUIREMENTS[operation];
}

/** Account SAS `srt` letter for each level. */
export const RESOURCE_TYPE_LETTER: Record<ResourceLevel, string> = {
  service: "s",
  container: "c",
  object: "o",
};

/** Letters a SAS may carry, by kind (order is not checked: the signature covers `sp` as sent). */
export const ACCOUNT_PERMISSION_LETTERS = "rwdxylacuptfi";
export const SERVICE_PERMISSION_LETTERS = "racwdxyltmeopfi";

export function grantsAny(permissions: ReadonlySet<string>, letters: string): boolean {
  return letters === "" || [...letters].some((l) => permissions.has(l));
}
