import { createHash } from "node:crypto";
import type { StatementSync } from "node:sqlite";
import type { FsNode, MetadataStore } from "./metadata-store.js";

/** A path's lease as stored: see dfs/lease-rules.ts for what it means. */
export interface LeaseRecord {
  id: string;
  duration: number;
  expiresAt: number;
  breakAt?: number;
}

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

/** A block staged by Put Block: its id (base64, as sent), its blob and length. */
export interface Block {
  id: string;
  blob: string;
  length: number;
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
      lease: p("SELECT data FROM leases WHERE node = ?"),
      setLease: p("INSERT OR REPLACE INTO leases (node, data) VALUES (?, ?)"),
      dropLease: p("DELETE FROM leases WHERE node = ?"),
      blocks: p(
        "SELECT block_id AS id, blob, length FROM blocks WHERE fs = ? AND path = ? ORDER BY block_id",
      ),
      block: p("SELECT block_id AS id, blob, length FROM blocks WHERE fs = ? AND path = ? AND block_id = ?"),
      blockCount: p("SELECT COUNT(*) AS n FROM blocks WHERE fs = ? AND path = ?"),
      putBlock: p("INSERT OR REPLACE INTO blocks (fs, path, block_id, blob, length) VALUES (?, ?, ?, ?, ?)"),
      takeBlocks: p("DELETE FROM blocks WHERE fs = ? AND path = ? RETURNING blob"),
      // A path and those below it: `path` itself, or from "path/" up to (not including) "path0" ('0' follows '/').
      // Anonymous parameters only: Node 22's node:sqlite cannot bind numbered ones (`?1`) positionally.
      takeBlocksBelow: p(
        "DELETE FROM blocks WHERE fs = ? AND (path = ? OR (path >= ? AND path < ?)) RETURNING blob",
      ),
      moveBlocks: p(
        "UPDATE blocks SET fs = ?, path = ? || substr(path, ?) WHERE fs = ? AND (path = ? OR (path >= ? AND path < ?))",
      ),
      touchBlockPath: p("INSERT OR REPLACE INTO block_paths (fs, path, staged) VALUES (?, ?, ?)"),
      dropBlockPath: p("DELETE FROM block_paths WHERE fs = ? AND path = ?"),
      dropBlockPathsBelow: p(
        "DELETE FROM block_paths WHERE fs = ? AND (path = ? OR (path >= ? AND path < ?))",
      ),
      moveBlockPaths: p(
        "UPDATE block_paths SET fs = ?, path = ? || substr(path, ?) WHERE fs = ? AND (path = ? OR (path >= ? AND path < ?))",
      ),
      blockPaths: p(
        "SELECT path, staged FROM block_paths WHERE fs = ? AND path >= ? AND (? IS NULL OR path < ?)",
      ),
      firstStaged: p("SELECT 1 AS x FROM block_paths WHERE staged <= ? LIMIT 1"),
      stale: p("SELECT fs, path FROM block_paths WHERE staged <= ? LIMIT ?"),
      blockList: p("SELECT data FROM block_lists WHERE node = ?"),
      setBlockList: p("INSERT OR REPLACE INTO block_lists (node, data) VALUES (?, ?)"),
      dropBlockList: p("DELETE FROM block_lists WHERE node = ?"),
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

  /** The stored lease of an item (dfs/lease-rules.ts reads it); leases go with their node. */
  lease(id: number): LeaseRecord | undefined {
    const row = this.#s.lease!.get(id) as { data: string } | undefined;
    return row ? (JSON.parse(row.data) as LeaseRecord) : undefined;
  }

  /** Stores (or, with undefined, ends) the lease of an item. Leases do not change the ETag. */
  setLease(id: number, lease: LeaseRecord | undefined): void {
    if (lease) this.#s.setLease!.run(id, JSON.stringify(lease));
    else this.#s.dropLease!.run(id);
  }

  /**
   * Uncommitted blocks (Blob Put Block) of the path `path` of filesystem `fs`, by block id. They belong to no node
   * (the file may not exist yet): they are keyed by the filesystem, which frees them when it goes, and by the
   * path, which the namespace changes keep up to date (`takeUncommittedBelow` on delete, `moveUncommitted` on
   * rename), so blocks never outlive their path or turn up under a path made later with the old name.
   */
  uncommittedBlocks(fs: number, path: string): Block[] {
    return this.#s.blocks!.all(fs, path) as unknown as Block[];
  }

  uncommittedBlock(fs: number, path: string, id: string): Block | undefined {
    return this.#s.block!.get(fs, path, id) as Block | undefined;
  }

  uncommittedCount(fs: number, path: string): number {
    return (this.#s.blockCount!.get(fs, path) as { n: number }).n;
  }

  /**
   * Stages a block; returns the blob of the block of that id it replaced, to free once this is durable. The
   * path's blocks expire `uncommittedBlockLifetimeSeconds` after the last one staged, as the service's do.
   */
  putBlock(fs: number, path: string, block: Block, now: number): string | undefined {
    const replaced = this.uncommittedBlock(fs, path, block.id)?.blob;
    this.#s.putBlock!.run(fs, path, block.id, block.blob, block.length);
    this.#s.touchBlockPath!.run(fs, path, now);
    return replaced;
  }

  /** Drops a path's uncommitted blocks; returns their blobs. */
  takeUncommitted(fs: number, path: string): string[] {
    this.#s.dropBlockPath!.run(fs, path);
    return (this.#s.takeBlocks!.all(fs, path) as Array<{ blob: string }>).map((row) => row.blob);
  }

  /** Drops the uncommitted blocks of `path` and of every path below it (a deleted tree); returns their blobs. */
  takeUncommittedBelow(fs: number, path: string): string[] {
    const range = [fs, path, `${path}/`, `${path}0`];
    this.#s.dropBlockPathsBelow!.run(...range);
    return (this.#s.takeBlocksBelow!.all(...range) as Array<{ blob: string }>).map((row) => row.blob);
  }

  /**
   * A rename: the uncommitted blocks of `from` and of the paths below it become those of `to` (in filesystem
   * `toFs`), as a renamed file keeps its unflushed appends. Whatever `to` held is dropped (the destination is
   * replaced); returns those blobs.
   */
  moveUncommitted(fromFs: number, from: string, toFs: number, to: string): string[] {
    const dropped = this.takeUncommittedBelow(toFs, to);
    // substr counts characters (code points), as Array.from does, not UTF-16 units.
    const args = [toFs, to, Array.from(from).length + 1, fromFs, from, `${from}/`, `${from}0`];
    this.#s.moveBlocks!.run(...args);
    this.#s.moveBlockPaths!.run(...args);
    return dropped;
  }

  /** Paths of filesystem `fs` starting with `prefix` that have uncommitted blocks, with when one was last staged. */
  pathsWithUncommitted(fs: number, prefix: string): Array<{ path: string; staged: number }> {
    const end = prefixEnd(prefix);
    const rows = this.#s.blockPaths!.all(fs, prefix, end, end) as Array<{
      path: string;
      staged: number;
    }>;
    return rows.filter((row) => row.path.startsWith(prefix));
  }

  /** Whether any path's blocks were last staged at or before `before` (one indexed query). */
  hasStaleBlocks(before: number): boolean {
    return this.#s.firstStaged!.get(before) !== undefined;
  }

  /** Drops the blocks of up to `limit` paths last staged at or before `before`; returns the blobs and a count. */
  takeStaleBlocks(before: number, limit: number): { blobs: string[]; paths: number } {
    const rows = this.#s.stale!.all(before, limit) as Array<{ fs: number; path: string }>;
    const blobs = rows.flatMap((row) => this.takeUncommitted(row.fs, row.path));
    return { blobs, paths: rows.length };
  }

  /** The committed block list of a file (ids and lengths, in order, one extent each), if Put Block List made it. */
  blockList(id: number): Array<{ id: string; length: number }> | undefined {
    const row = this.#s.blockList!.get(id) as { data: string } | undefined;
    return row ? JSON.parse(row.data) : undefined;
  }

  setBlockList(id: number, blocks: Array<{ id: string; length: number }> | undefined): void {
    if (blocks) this.#s.setBlockList!.run(id, JSON.stringify(blocks));
    else this.#s.dropBlockList!.run(id);
  }

  /** Drops every staged extent of a file (it was re-created); returns their blobs, to free once durable. */
  unstageAll(id: number): string[] {
    return (this.#s.unstageAll!.all(id) as Array<{ blob: string }>).map((row) => row.blob);
  }
}

/**
 * The least string after every string that starts with `prefix` (its last character's successor), for an index
 * range: SQLite compares text as UTF-8 bytes, which orders as code points do. Null when there is none.
 */
function prefixEnd(prefix: string): string | null {
  const chars = Array.from(prefix);
  const last = chars.pop()?.codePointAt(0);
  if (last === undefined || last >= 0x10ffff) return null;
  // Code points in UTF-8 order: the surrogates are not characters, so U+D7FF is followed by U+E000.
  const next = last === 0xd7ff ? 0xe000 : last + 1;
  return chars.join("") + String.fromCodePoint(next);
}
