// The checks around a transfer: the length the server holds, the SHA-256 of a local file, a target in the way.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import type { FsBackend } from "../backend.js";
import { type FsError, IntegrityError, PathExistsError } from "../errors.js";
import { tryGetFileStatus } from "../operations/status.js";
import type { FileStatus } from "../types.js";
import type { WebHdfs } from "../webhdfs.js";
import type { TransferContext } from "./context.js";

/** Fails with IntegrityError unless the server holds `size` bytes at `target`. */
export async function verifyLength(
  fs: WebHdfs | FsBackend,
  target: string,
  size: number,
  signal: AbortSignal,
): Promise<void> {
  const options = { abortSignal: signal };
  checkLength(
    "protocol" in fs ? await fs.tryGetStatus(target, options) : await tryGetFileStatus(fs, target, options),
    target,
    size,
  );
}

/** Fails with IntegrityError unless `status` is a file of `size` bytes. */
export function checkLength(status: FileStatus | undefined, target: string, size: number): void {
  if (status?.length !== size) {
    throw new IntegrityError(
      `upload ${target}: the server reports ${status?.length ?? "no file"} bytes, expected ${size}`,
      {
        path: target,
        expected: String(size),
        actual: String(status?.length ?? "missing"),
      },
    );
  }
}

/** A target found in the way by our own look (GETFILESTATUS) before anything was sent. */
export function existsError(fs: WebHdfs, target: string, reason: string): FsError {
  // Found by our own look before sending anything: there is no error status to report.
  return new PathExistsError({
    method: "PUT",
    url: fs.url("CREATE", target).toString(),
    operation: "CREATE",
    path: target,
    reason,
  });
}

/** SHA-256 of a local file, read in 1 MiB pieces (each feeds the stall watchdog). */
export async function sha256OfFile(path: string, ctx: TransferContext): Promise<string> {
  const hash = createHash("sha256");
  for await (const piece of createReadStream(path, { signal: ctx.signal, highWaterMark: 1024 * 1024 })) {
    hash.update(piece as Buffer);
    ctx.touch();
  }
  return hash.digest("hex");
}
