export { type EmulatorFixture, readFixture, sharedEmulator } from "./fixture.js";
export { importSecondCopy } from "./second-copy.js";
export { findSecrets, knownSecrets } from "./secret-canary.js";
