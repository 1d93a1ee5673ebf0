import type { FsBackend } from "./backend.js";
import { list } from "./operations/list.js";
import { readInto } from "./operations/read.js";
import { mkdir } from "./operations/shell.js";
import { getFileStatus, tryGetFileStatus } from "./operations/status.js";
import { uploadFile } from "./transfer/upload.js";
import type { FileStatus } from "./types.js";
import type { WebHdfs } from "./webhdfs.js";

/** Gen1 (WebHDFS) as an FsBackend: the existing operations, unchanged. */
export function gen1Backend(fs: WebHdfs, listPageSize: number): FsBackend & { fs: WebHdfs } {
  return {
    protocol: "gen1",
    readsToEnd: true,
    fs,
    logger: fs.http.logger,
    getStatus: (path, options) => getFileStatus(fs, path, options),
    tryGetStatus: (path, options) => tryGetFileStatus(fs, path, options),
    list: (path, options) => list(fs, path, listPageSize, options),
    mkdirs: (path, options) => mkdir(fs, path, options),
    readInto: (path, offset, length, sink, options) => readInto(fs, path, offset, length, sink, options),
    // Gen1 stamps modifications in milliseconds: length and time tell versions apart.
    sameVersion: (a: FileStatus, b: FileStatus) =>
      a.length === b.length && a.modificationTime === b.modificationTime,
    uploadFile: (ctx, localPath, target, settings) => uploadFile(fs, ctx, localPath, target, settings),
  };
}
