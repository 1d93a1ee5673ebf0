import { createHash } from "node:crypto";
import type { StatementSync } from "node:sqlite";
import type { FsNode, MetadataStore } from "./metadata-store.js";

/**
 * What Gen2 (DFS and Blob) keeps of a path beyond the namespace: its ETag, HTTP content headers and user
 * properties (the `props` table, whose rows go with their node), and the data appended to a file but not yet
 * flushed. Staged data lives in the `extents` table with a negative `seq` (`-(position + 1)`): reads, Gen1 appends
 * and concatenations only see `seq >= 0`, while deleting a file, reclaiming the trash and the orphan sweep at
 * start treat staged blobs exactly like committed ones, so no staged blob is ever leaked or swept while in use.
 */

/** Content headers of a file, as set by create, flush or Set Blob HTTP Headers. */
export interface ContentHeaders {
  contentType?: string;
  contentEncoding?: string;
  contentLanguage?: string;
  contentDisposition?: string;
  cacheControl?: string;
  /** Base64 MD5 of the whole content, as the client stated it (flush `x-ms-content-md5`). */
  contentMd5?: string;
}

export interface PathProps {
  /** Unquoted: `0x8DC0123456789AB`. */
  etag: string;
  headers: ContentHeaders;
  /** User properties (DFS `x-ms-properties`, Blob `x-ms-meta-*`): names as given, values as text. */
  metadata: Record<string, string>;
}

/** Data appended at `position` and not yet flushed: the first `length` bytes of `blob`. */
export interface StagedExtent {
  position: number;
  blob: string;
  length: number;
}

let etagSequence = 0;

/** A fresh ETag: tenths of microseconds since the epoch plus a counter, so two in one millisecond differ. */
export function newEtag(): string {
  const ticks = BigInt(Date.now()) * 10000n + BigInt(etagSequence++ % 10000);
  return `0x8D${ticks.toString(16).toUpperCase().padStart(13, "0").slice(-13)}`;
}

/** The ETag of an item no Gen2 call has changed yet (the account root, directories made by `mkdir -p`). */
function derivedEtag(node: FsNode): string {
  const hash = createHash("sha256").update(`${node.contextId}:${node.modified}:${node.length}`).digest("hex");
  return `0x8D${hash.slice(0, 13).toUpperCase()}`;
}

export class PathState {
  readonly #s: Record<string, StatementSync>;

  constructor(meta: MetadataStore) {
    const p = (sql: string) => meta.prepare(sql);
    this.#s = {
      props: p("SELECT etag, data FROM props WHERE node = ?"),
      setProps: p("INSERT OR REPLACE INTO props (node, etag, data) VALUES (?, ?, ?)"),
      staged: p(
        "SELECT -seq - 1 AS position, blob, length FROM extents WHERE node = ? AND seq < 0 ORDER BY seq DESC",
      ),
      stagedAt: p("SELECT blob FROM extents WHERE node = ? AND seq = ?"),
      stage: p("INSERT OR REPLACE INTO extents (node, seq, blob, length) VALUES (?, ?, ?, ?)"),
      unstage: p("DELETE FROM extents WHERE node = ? AND seq = ?"),
      unstageAll: p("DELETE FROM extents WHERE node = ? AND seq < 0 RETURNING blob"),
    };
  }

  props(node: FsNode): PathProps {
    const row = this.#s.props!.get(node.id) as { etag: string; data: string } | undefined;
    if (!row) return { etag: derivedEtag(node), headers: {}, metadata: {} };
    const data = JSON.parse(row.data) as Omit<PathProps, "etag">;
    return { etag: row.etag, headers: data.headers, metadata: data.metadata };
  }

  /** Replaces the headers and user properties of an item, with a new ETag; returns the ETag. */
  setProps(id: number, props: Omit<PathProps, "etag">): string {
    const etag = newEtag();
    this.#s.setProps!.run(id, etag, JSON.stringify({ headers: props.headers, metadata: props.metadata }));
    return etag;
  }

  /** A new ETag for a change that keeps headers and properties (owner, ACL, a rename target). */
  touch(node: FsNode): string {
    const { headers, metadata } = this.props(node);
    return this.setProps(node.id, { headers, metadata });
  }

  /** Staged extents of a file, by position. */
  staged(id: number): StagedExtent[] {
    return this.#s.staged!.all(id) as unknown as StagedExtent[];
  }

  /** Stages an extent; returns the blob of one it replaced (same position), to free once this is durable. */
  stage(id: number, extent: StagedExtent): string | undefined {
    const seq = -(extent.position + 1);
    const replaced = (this.#s.stagedAt!.get(id, seq) as { blob: string } | undefined)?.blob;
    this.#s.stage!.run(id, seq, extent.blob, extent.length);
    return replaced;
  }

  unstage(id: number, position: number): void {
    this.#s.unstage!.run(id, -(position + 1));
  }

  /** Drops every staged extent of a file (it was re-created); returns their blobs, to free once durable. */
  unstageAll(id: number): string[] {
    return (this.#s.unstageAll!.all(id) as Array<{ blob: string }>).map((row) => row.blob);
  }
}
