import { createHash } from "node:crypto";
import type { TransferContext } from "../transfer/context.js";
import { type ReadAt, readFully } from "../transfer/file-body.js";

/**
 * The whole file's MD5 (base64, for the flush's `x-ms-content-md5`) and optionally its SHA-256 (hex), in one
 * sequential read beside the appends. The pieces are read into two reused buffers that take turns (the next read
 * runs while the current piece is hashed), so memory stays at the two buffers and no garbage Buffer is left per
 * piece (a `createReadStream` allocates one per piece, which V8 frees only with a full collection).
 */
export async function fileDigests(
  ctx: TransferContext,
  read: ReadAt,
  size: number,
  buffers: readonly [Buffer, Buffer],
  want: { md5: boolean; sha256: boolean; stopped: () => boolean },
): Promise<{ md5: string | undefined; sha256: string | undefined }> {
  const md5 = want.md5 ? createHash("md5") : undefined;
  const sha = want.sha256 ? createHash("sha256") : undefined;
  if (md5 || sha) {
    let [current, spare] = buffers;
    const readAt = (buffer: Buffer, at: number) =>
      readFully(read, buffer, Math.min(buffer.byteLength, size - at), at);
    let next = size > 0 ? readAt(current, 0) : undefined;
    for (let at = 0; next; ) {
      const piece = await next;
      at += piece.byteLength;
      next = at < size ? readAt(spare, at) : undefined;
      // If hashing throws (it does not), the read in flight settles on its own.
      next?.catch(() => {});
      ctx.throwIfAborted();
      if (want.stopped()) throw new Error("the upload failed; its digests are not needed");
      md5?.update(piece);
      sha?.update(piece);
      ctx.touch();
      [current, spare] = [spare, current];
    }
  }
  return { md5: md5?.digest("base64"), sha256: sha?.digest("hex") };
}
