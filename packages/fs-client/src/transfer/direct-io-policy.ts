import { directIoAvailable } from "@adlkit/bulk-io";

/** Whether a transfer reads (uploads) or writes (downloads) its local file around the page cache. */
export type DirectIoSetting = boolean | "auto";

/** Below this size "auto" keeps the page cache: direct I/O saves nothing worth mentioning on small files. */
export const DIRECT_IO_MIN_FILE_SIZE = 32 * 1024 * 1024;

/** Resolves "auto": direct I/O for files large enough to matter, where the platform has it. */
export function wantsDirectIo(setting: DirectIoSetting, size: number): boolean {
  if (!directIoAvailable) return false;
  return setting === "auto" ? size >= DIRECT_IO_MIN_FILE_SIZE : setting;
}
