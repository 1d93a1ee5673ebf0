export { type EmulatorFixture, readFixture } from "./fixture.js";
export { findSecrets, knownSecrets } from "./secret-canary.js";
