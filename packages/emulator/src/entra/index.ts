import type { RequestContext } from "../http/context.js";
import { tryDecodeSegments } from "../http/decode.js";
import { BodyTooLargeError, describeLimit, sendJson } from "../http/respond.js";
import { instanceDiscovery, openIdConfigurationV1, openIdConfigurationV2, signingKeys } from "./discovery.js";
import { EntraError, sendEntraError } from "./entra-error.js";
import { managedIdentityToken } from "./managed-identity.js";
import { tokenEndpoint } from "./token-endpoint.js";

/**
 * Routes an Entra ID request (token, discovery, keys, managed identity). Returns false if the path is not Entra's
 * (a path that is not valid percent-encoded UTF-8 names no Entra endpoint).
 */
export async function handleEntra(ctx: RequestContext): Promise<boolean> {
  const parts = tryDecodeSegments(ctx.url.pathname.split("/").filter(Boolean));
  if (!parts) return false;
  const lower = parts.map((p) => p.toLowerCase());
  const path = lower.slice(1).join("/");
  const tenant = parts[0] ?? "";
  try {
    if (lower.join("/") === "msi/token") {
      await managedIdentityToken(ctx, "appservice");
    } else if (lower.join("/") === "metadata/identity/oauth2/token") {
      await managedIdentityToken(ctx, "imds");
    } else if (lower[0] === "common" && path === "discovery/instance") {
      ctx.entry.op = "instance-discovery";
      instanceDiscovery(ctx);
    } else if (path === "oauth2/token") {
      await tokenEndpoint(ctx, tenant, 1);
    } else if (path === "oauth2/v2.0/token") {
      await tokenEndpoint(ctx, tenant, 2);
    } else if (path === "v2.0/.well-known/openid-configuration") {
      ctx.entry.op = "openid-configuration-v2";
      openIdConfigurationV2(ctx, tenant);
    } else if (path === ".well-known/openid-configuration") {
      ctx.entry.op = "openid-configuration-v1";
      openIdConfigurationV1(ctx, tenant);
    } else if (path === "discovery/v2.0/keys" || path === "discovery/keys") {
      ctx.entry.op = "keys";
      signingKeys(ctx, tenant, path.includes("v2.0"));
    } else if (/^oauth2\/(v2\.0\/)?(authorize|devicecode|logout)$/.test(path)) {
      // Interactive flows are out of scope: adlkit is service-to-service.
      throw new EntraError(
        400,
        "invalid_request",
        900144,
        "Interactive sign-in is not supported by adl-emulator; use the client credentials grant.",
      );
    } else {
      return false;
    }
  } catch (err) {
    if (err instanceof EntraError) {
      sendEntraError(ctx, err);
      return true;
    }
    if (err instanceof BodyTooLargeError) {
      sendEntraError(
        ctx,
        new EntraError(
          413,
          "invalid_request",
          9002313,
          `Invalid request. The request body exceeds ${describeLimit(err.limit)}.`,
        ),
      );
      return true;
    }
    throw err;
  }
  return true;
}

/** The answer to a path nobody serves, as JSON (clients parse every body). */
export function sendNotFound(ctx: RequestContext): void {
  sendJson(ctx.res, 404, {
    error: { code: "NotFound", message: `No endpoint at ${ctx.method} ${ctx.url.pathname}.` },
  });
}
