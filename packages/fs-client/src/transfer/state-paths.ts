/** Where a transfer keeps its state beside the local file, so that a later run can resume it. */

/** The state file of an upload: next to the local source. */
export function uploadStatePath(localPath: string): string {
  return `${localPath}.adlkit-upload.json`;
}

/** The state file of a download: next to the local target. */
export function downloadStatePath(localPath: string): string {
  return `${localPath}.adlkit-download.json`;
}

/** The file a download writes into, renamed onto the target once complete and verified. */
export function partialPath(localPath: string): string {
  return `${localPath}.adlkit-partial`;
}
