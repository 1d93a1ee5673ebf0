export { BufferPool, PAGE_ALIGNMENT } from "./buffer-pool.js";
export {
  DIRECT_IO_ALIGNMENT,
  DirectIoFile,
  type DirectIoFileOptions,
  directIoAvailable,
} from "./direct-io-file.js";
export { DirectReadFile, type DirectReadFileOptions } from "./direct-read-file.js";
export { noteStreamedBytes } from "./gc-pacer.js";
export { Limiter } from "./limiter.js";
