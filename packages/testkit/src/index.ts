export { type EmulatorFixture, readFixture, sharedEmulator } from "./fixture.js";
export { findSecrets, knownSecrets } from "./secret-canary.js";
