import { directIoAvailable } from "@adlkit/bulk-io";
import { expect, test } from "vitest";
import { DIRECT_IO_MIN_FILE_SIZE, wantsDirectIo } from "./direct-io-policy.js";

test('directIo "auto" means files of 32 MiB and more on Linux; booleans are obeyed where O_DIRECT exists', () => {
  expect(wantsDirectIo("auto", DIRECT_IO_MIN_FILE_SIZE)).toBe(directIoAvailable);
  expect(wantsDirectIo("auto", DIRECT_IO_MIN_FILE_SIZE - 1)).toBe(false);
  expect(wantsDirectIo(true, 1)).toBe(directIoAvailable);
  expect(wantsDirectIo(false, 10 * DIRECT_IO_MIN_FILE_SIZE)).toBe(false);
});
