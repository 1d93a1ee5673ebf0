export { ADMIN_KEY_HEADER } from "./admin.js";
export { ARM_AUDIENCES, DATALAKE_AUDIENCES } from "./audiences.js";
export type { ConnectionInfo } from "./connection.js";
export { DataDirectoryInUseError } from "./data-lock.js";
export type { Area, FaultRule } from "./faults.js";
export type { JournalEntry } from "./journal.js";
export type {
  ApplicationConfig,
  EmulatorConfig,
  EmulatorConfigOverrides,
  EmulatorOptions,
  TenantConfig,
} from "./options.js";
export { type RunningEmulator, startEmulator } from "./start.js";
