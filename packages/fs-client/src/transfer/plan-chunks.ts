import { invalidArgument } from "../options.js";

/** A contiguous piece of a file that one worker transfers: a segment file on upload, a range on download. */
export interface Chunk {
  index: number;
  offset: number;
  length: number;
}

/**
 * Splits `size` bytes into chunks of `chunkSize` (the last one shorter). An empty file is one empty chunk,
 * so it still gets created.
 */
export function planChunks(size: number, chunkSize: number): Chunk[] {
  if (!Number.isSafeInteger(size) || size < 0)
    throw invalidArgument("size", `must be a non-negative integer, got ${size}`);
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1)
    throw invalidArgument("chunkSize", `must be a positive integer, got ${chunkSize}`);
  if (size === 0) return [{ index: 0, offset: 0, length: 0 }];
  const chunks: Chunk[] = [];
  for (let offset = 0, index = 0; offset < size; offset += chunkSize, index++) {
    chunks.push({ index, offset, length: Math.min(chunkSize, size - offset) });
  }
  return chunks;
}

/** The request-sized pieces of a chunk (APPEND bodies), as offsets relative to the chunk's start. */
export function planBlocks(length: number, blockSize: number): Array<{ offset: number; length: number }> {
  if (!Number.isSafeInteger(blockSize) || blockSize < 1)
    throw invalidArgument("blockSize", `must be a positive integer, got ${blockSize}`);
  const blocks: Array<{ offset: number; length: number }> = [];
  for (let offset = 0; offset < length; offset += blockSize)
    blocks.push({ offset, length: Math.min(blockSize, length - offset) });
  return blocks;
}

/** Where the segments of an upload live, as the Python uploader names them: `{dir}/{name}.segments.{id}`. */
export function segmentDirectory(target: string, uploadId: string): string {
  return `${target}.segments.${uploadId}`;
}

/** The segment file of a chunk: `{segmentDir}/{name}_{offset}`. */
export function segmentPath(segmentDir: string, targetName: string, chunk: Chunk): string {
  return `${segmentDir}/${targetName}_${chunk.offset}`;
}
