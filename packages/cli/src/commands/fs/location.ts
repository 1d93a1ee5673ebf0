import type { FsClient } from "@adlkit/fs-client";
import type { FsTarget } from "../../context.js";
import { CliError } from "../../errors.js";

/**
 * What `fs` commands say about locations: the forms a remote argument takes, and the refusals where the two
 * protocols differ (an operation only Gen1 has; a rename across accounts, filesystems or protocols).
 */

export const LOCATION_FORMS =
  "/path (on -a ACCOUNT), adl://ACCOUNT/path (Gen1) or abfss://FILESYSTEM@ACCOUNT/path (Gen2)";

/**
 * The Gen1 client of a target, or a clear refusal when it is a Gen2 location: `what` is the operation (e.g.
 * "joining files"), `instead` what to do on Gen2.
 */
export function requireGen1(target: FsTarget, command: string, what: string, instead: string): FsClient {
  if (target.protocol === "gen1") return target.client;
  throw new CliError(
    `\`adl ${command}\` works on Data Lake Store Gen1 only: Data Lake Storage Gen2 (${target.show(target.path)}) has no ${what}`,
    { code: "UNSUPPORTED_PROTOCOL", hint: instead },
  );
}

/** A rename stays in one account (and filesystem): across them it is a copy, which `adl fs cp` makes. */
export function requireSameStore(source: FsTarget, destination: FsTarget, command: string): void {
  if (source.store === destination.store) return;
  const across =
    source.protocol !== destination.protocol
      ? "from Gen1 to Gen2 or back"
      : source.protocol === "gen1"
        ? "across accounts"
        : "across storage accounts or filesystems";
  throw new CliError(
    `\`adl ${command}\` renames within one account and filesystem; ${source.show(source.path)} to ${destination.show(destination.path)} would move data ${across}`,
    {
      code: "CROSS_LOCATION_MOVE",
      hint: `Copy it with \`adl fs cp ${source.show(source.path)} ${destination.show(destination.path)}\` (-R for a directory), then delete the source with \`adl fs rm\`.`,
    },
  );
}
