import type { Readable, Writable } from "node:stream";
import { Readable as NodeReadable, Writable as NodeWritable } from "node:stream";
import type { ReadableStream, WritableStream } from "node:stream/web";
import type { PagedAsyncIterableIterator, PageSettings } from "@azure/core-paging";
import type { FsBackend } from "./backend.js";
import { glob } from "./operations/glob.js";
import type { FileStatusPage } from "./operations/list.js";
import { readPart } from "./operations/shell.js";
import { createReadStream, type ReadStreamOptions, type WriteStreamOptions } from "./operations/streams.js";
import type { ResolvedFsClientOptions } from "./options.js";
import { normalizePath } from "./paths.js";
import { downloadFile } from "./transfer/download.js";
import {
  type GetOptions,
  resolveTransfer,
  type TransferOptions,
  type TransferResult,
} from "./transfer/transfer-options.js";
import { downloadTree, isLocalDirectory, uploadTree } from "./transfer/tree.js";
import type { FileStatus, OperationOptions } from "./types.js";

/** What both clients' options give the protocol-independent methods. */
export type SharedClientSettings = Pick<
  ResolvedFsClientOptions,
  "concurrency" | "chunkSize" | "blockSize" | "maxBlockSize" | "stallTimeoutInMs"
>;

/**
 * The methods written once over a protocol's `FsBackend` (glob, cat/head/tail, read streams, Web streams, tree
 * and file transfers), so that `FsClient` (Gen1) and `Gen2FsClient` (Gen2) differ only where their protocols do:
 * each supplies its backend, `list`, `walk` and `createWriteStream`.
 */
/** Each client's backend, for the package's own modules (copy/) that work below the public methods. */
const backends = new WeakMap<FileSystemClientBase, FsBackend>();

/** The protocol backend of a client of this package (internal: not exported from the package's index). */
export function backendOf(client: FileSystemClientBase): FsBackend {
  const backend = backends.get(client);
  if (!backend) throw new TypeError("not a filesystem client of @adlkit/fs-client");
  return backend;
}

export abstract class FileSystemClientBase {
  readonly #backend: FsBackend;
  readonly #settings: SharedClientSettings;

  protected constructor(backend: FsBackend, settings: SharedClientSettings) {
    this.#backend = backend;
    this.#settings = settings;
    backends.set(this, backend);
  }

  abstract list(
    path: string,
    options?: OperationOptions,
  ): PagedAsyncIterableIterator<FileStatus, FileStatusPage, PageSettings>;

  abstract walk(path: string, options?: OperationOptions & { maxDepth?: number }): AsyncGenerator<FileStatus>;

  abstract createWriteStream(path: string, options?: WriteStreamOptions): Writable;

  /** Entries whose absolute path matches a pattern (`*`, `?`, `**`, `[...]`, `{a,b}`, nested; see glob.ts). */
  glob(pattern: string, options?: OperationOptions): AsyncGenerator<FileStatus> {
    return glob(
      this.#backend,
      (base, maxDepth) => this.walk(base, { ...options, maxDepth }),
      pattern,
      options,
    );
  }

  /** A whole file in memory. */
  cat(path: string, options?: OperationOptions): Promise<Buffer> {
    return readPart(this.#backend, path, { from: "head" }, options);
  }

  /** The first `bytes` bytes. @default 1024 */
  head(path: string, bytes = 1024, options?: OperationOptions): Promise<Buffer> {
    return readPart(this.#backend, path, { from: "head", bytes }, options);
  }

  /** The last `bytes` bytes. @default 1024 */
  tail(path: string, bytes = 1024, options?: OperationOptions): Promise<Buffer> {
    return readPart(this.#backend, path, { from: "tail", bytes }, options);
  }

  /** A remote file as a stream that continues where a broken response stopped. */
  createReadStream(path: string, options?: ReadStreamOptions): Readable {
    return createReadStream(this.#backend, path, options);
  }

  /** A Web ReadableStream of a remote file. */
  openReadableStream(path: string, options?: ReadStreamOptions): ReadableStream<Uint8Array> {
    return NodeReadable.toWeb(this.createReadStream(path, options)) as ReadableStream<Uint8Array>;
  }

  /** A Web WritableStream that writes a remote file. */
  openWritableStream(path: string, options?: WriteStreamOptions): WritableStream<Uint8Array> {
    return NodeWritable.toWeb(this.createWriteStream(path, options)) as WritableStream<Uint8Array>;
  }

  /**
   * Uploads a local file or directory tree, each file in the protocol's own verified way (see the backend's
   * `uploadFile`): targets appear only when complete and verified, and an interrupted upload resumes from a
   * state file next to each source file.
   */
  async put(localPath: string, remotePath: string, options: TransferOptions = {}): Promise<TransferResult> {
    const { ctx, settings, concurrency } = resolveTransfer(options, this.#settings);
    try {
      if (await isLocalDirectory(localPath)) {
        const target = normalizePath(remotePath);
        return {
          kind: "tree",
          ...(await uploadTree(this.#backend, ctx, localPath, target, settings, concurrency)),
        };
      }
      return { kind: "file", ...(await this.#backend.uploadFile(ctx, localPath, remotePath, settings)) };
    } finally {
      ctx.dispose();
    }
  }

  /**
   * Downloads a remote file or directory tree: parallel ranges into a temp file renamed into place only when
   * complete and verified; a file changed on the server meanwhile fails rather than mixing versions, and an
   * interrupted download resumes.
   */
  async get(remotePath: string, localPath: string, options: GetOptions = {}): Promise<TransferResult> {
    const { ctx, settings, concurrency } = resolveTransfer(options, this.#settings);
    try {
      const status = await this.#backend.getStatus(remotePath, { abortSignal: ctx.signal });
      const fileSettings = { ...settings, fsync: options.fsync };
      if (status.type === "DIRECTORY") {
        const lister = (dir: string) => this.list(dir, { abortSignal: ctx.signal });
        return {
          kind: "tree",
          ...(await downloadTree(
            this.#backend,
            ctx,
            lister,
            status.path,
            localPath,
            fileSettings,
            concurrency,
          )),
        };
      }
      return {
        kind: "file",
        ...(await downloadFile(this.#backend, ctx, status, localPath, {
          ...fileSettings,
          expectedSha256: options.expectedSha256,
        })),
      };
    } finally {
      ctx.dispose();
    }
  }
}
