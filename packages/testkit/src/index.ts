export { type EmulatorFixture, readFixture, sharedEmulator } from "./fixture.js";
export {
  describeErrorIdentity,
  type ErrorClassCase,
  identityMismatches,
  importSecondCopy,
} from "./second-copy.js";
export { findSecrets, knownSecrets } from "./secret-canary.js";
