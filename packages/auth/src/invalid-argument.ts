import { InvalidArgumentError } from "@adlkit/core";

/**
 * The one shape of every argument error in this package: core's InvalidArgumentError, naming the argument, with
 * the credential in the message (`[@adlkit/auth] tenantId is required (ClientSecretCredential).`).
 */
export function invalidArgument(
  credential: string,
  argument: string,
  problem: string,
  hint?: string,
): InvalidArgumentError {
  return new InvalidArgumentError(argument, `${problem} (${credential})`, { source: "@adlkit/auth", hint });
}
