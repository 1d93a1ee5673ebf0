export { startEmulator, type RunningEmulator } from "./start.js";
export type { ConnectionInfo } from "./connection.js";
export type { EmulatorConfig, EmulatorOptions, TenantConfig, ApplicationConfig } from "./options.js";
export type { FaultRule, Area } from "./faults.js";
export type { JournalEntry } from "./journal.js";
export { ADMIN_KEY_HEADER } from "./admin.js";
export { ARM_AUDIENCES, DATALAKE_AUDIENCES } from "./audiences.js";
