import type { FsBackend } from "../backend.js";
import type { FileStatus } from "../types.js";
import type { Dfs } from "./dfs.js";
import { listLazily } from "./list.js";
import { mkdir } from "./namespace.js";
import type { UploadMd5 } from "./options.js";
import { readInto } from "./read.js";
import { getStatus, tryGetStatus } from "./status.js";
import { uploadFile } from "./upload.js";

/** Gen2 (DFS) as an FsBackend. */
export function gen2Backend(dfs: Dfs, listPageSize: number, md5: UploadMd5): FsBackend {
  return {
    protocol: "gen2",
    readsToEnd: false,
    logger: dfs.http.logger,
    getStatus: (path, options) => getStatus(dfs, path, options),
    tryGetStatus: (path, options) => tryGetStatus(dfs, path, options),
    list: (path, options) => listLazily(dfs, path, listPageSize, options),
    mkdirs: (path, options) => mkdir(dfs, path, options),
    // Reads of a download name the version they started from: a file replaced meanwhile fails (412), not mixes.
    readInto: (path, offset, length, sink, options = {}) =>
      readInto(dfs, path, offset, length, sink, {
        abortSignal: options.abortSignal,
        ifMatch: options.version?.etag,
      }),
    // Last-Modified has one-second resolution; the ETag changes with every write.
    sameVersion: (a: FileStatus, b: FileStatus) => a.length === b.length && a.etag === b.etag,
    uploadFile: (ctx, localPath, target, settings) => uploadFile(dfs, ctx, localPath, target, settings, md5),
  };
}
