import type { TransferContext } from "./context.js";
import type { FileTransferResult, FileTransferSettings } from "./settings.js";

/** What an upload that landed and was verified reports, for either protocol. */
export function uploaded(
  target: string,
  size: number,
  resumedBytes: number,
  startedOver: boolean,
  sha256: string | undefined,
): FileTransferResult {
  return {
    path: target,
    bytes: size,
    resumedBytes,
    ...(startedOver ? { startedOver } : {}),
    ...(sha256 ? { sha256 } : {}),
  };
}

/**
 * How an upload that failed ends, for either protocol: the caller's abort discards what was sent (unless it is
 * kept for a later resume) and surfaces as the abort; our own abort (a stall) as well; any other failure stands,
 * with what was sent kept for a resume.
 */
export async function failedUpload(
  err: unknown,
  ctx: TransferContext,
  settings: FileTransferSettings,
  discardPartial: () => Promise<void>,
): Promise<never> {
  if (ctx.abortedByCaller) {
    if (!settings.keepPartialOnAbort) await discardPartial();
    throw ctx.abortError();
  }
  if (ctx.signal.aborted) throw ctx.abortError();
  throw err;
}
