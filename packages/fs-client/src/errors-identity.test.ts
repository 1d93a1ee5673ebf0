import { fileURLToPath } from "node:url";
import { describeErrorIdentity, type ErrorClassCase } from "@adlkit/testkit";
import * as first from "./index.js";

type FsClientModule = typeof first;
const init = { status: 404, method: "GET", url: "https://a/webhdfs/v1/x", operation: "OPEN", path: "/x" };

const CLASSES: Record<string, ErrorClassCase<FsClientModule>> = {
  FsError: { make: (m) => new m.FsError(init), is: ["FsError"] },
  PathNotFoundError: { make: (m) => new m.PathNotFoundError(init), is: ["FsError", "PathNotFoundError"] },
  PathExistsError: { make: (m) => new m.PathExistsError(init), is: ["FsError", "PathExistsError"] },
  AccessDeniedError: { make: (m) => new m.AccessDeniedError(init), is: ["FsError", "AccessDeniedError"] },
  BadOffsetError: { make: (m) => new m.BadOffsetError(init), is: ["FsError", "BadOffsetError"] },
  IntegrityError: {
    make: (m) => new m.IntegrityError("x", { path: "/x", expected: "1", actual: "2" }),
    is: ["IntegrityError"],
  },
  SourceChangedError: {
    make: (m) => new m.SourceChangedError("x", { path: "/x", expected: "1", actual: "2" }),
    is: ["IntegrityError", "SourceChangedError"],
  },
};

describeErrorIdentity("@adlkit/fs-client", fileURLToPath(new URL("..", import.meta.url)), first, CLASSES);
