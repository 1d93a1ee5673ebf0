import { timingSafeEqual } from "node:crypto";
import type { FaultRule } from "./faults.js";
import type { RequestContext } from "./http/context.js";
import { tryParseJson } from "./http/decode.js";
import { BodyTooLargeError, describeLimit, readSmallBody, sendEmpty, sendJson } from "./http/respond.js";

export const ADMIN_KEY_HEADER = "x-adl-emulator-key";

function keyMatches(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== "string") return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * `/_emulator/*`: health (open), and, with the admin key, the request journal, fault rules and run-time
 * settings (token lifetime, clock skew, ARM long-running-operation polls).
 */
export async function handleAdmin(ctx: RequestContext): Promise<void> {
  try {
    await routeAdmin(ctx);
  } catch (err) {
    if (!(err instanceof AdminError)) throw err;
    sendJson(ctx.res, err.status, { error: { code: err.code, message: err.message } });
  }
}

async function routeAdmin(ctx: RequestContext): Promise<void> {
  const route = ctx.url.pathname.replace(/^\/_emulator\/?/i, "").toLowerCase();
  ctx.entry.op = `admin:${route || "root"}`;
  if (route === "health" && ctx.method === "GET") {
    sendJson(ctx.res, 200, { status: "ok" });
    return;
  }
  if (!keyMatches(ctx.req.headers[ADMIN_KEY_HEADER], ctx.services.adminKey)) {
    ctx.req.resume();
    sendJson(ctx.res, 401, {
      error: {
        code: "AdminKeyRequired",
        message: `The admin API needs the emulator's admin key in the ${ADMIN_KEY_HEADER} header (see connection.json).`,
      },
    });
    return;
  }
  const { services } = ctx;
  const key = `${ctx.method} ${route}`;
  switch (key) {
    case "GET journal":
      sendJson(ctx.res, 200, { entries: services.journal.entries(), counts: services.journal.counts() });
      return;
    case "DELETE journal":
      services.journal.clear();
      sendEmpty(ctx.res, 204);
      return;
    case "GET faults":
      sendJson(ctx.res, 200, { rules: services.faults.list() });
      return;
    case "PUT faults": {
      const body = await readJson(ctx);
      const rules = (Array.isArray(body) ? body : (body as { rules?: unknown })?.rules) as
        | FaultRule[]
        | undefined;
      if (!Array.isArray(rules))
        return badRequest(ctx, 'Send a JSON array of fault rules, or {"rules": [...]}.');
      try {
        services.faults.set(rules);
      } catch (err) {
        return badRequest(ctx, (err as Error).message);
      }
      sendJson(ctx.res, 200, { rules: services.faults.list() });
      return;
    }
    case "DELETE faults":
      services.faults.clear();
      sendEmpty(ctx.res, 204);
      return;
    case "GET config":
      sendJson(ctx.res, 200, runtimeSettings(ctx));
      return;
    case "PATCH config": {
      const body = (await readJson(ctx)) as Record<string, unknown> | undefined;
      if (!body || typeof body !== "object") return badRequest(ctx, "Send a JSON object.");
      const config = services.config;
      const number = (value: unknown, min: number) =>
        typeof value === "number" && Number.isFinite(value) && value >= min;
      if (body.tokenLifetimeSeconds !== undefined) {
        if (!number(body.tokenLifetimeSeconds, 1))
          return badRequest(ctx, "tokenLifetimeSeconds must be a number >= 1.");
        config.tokenLifetimeSeconds = body.tokenLifetimeSeconds as number;
      }
      if (body.clockSkewSeconds !== undefined) {
        if (!number(body.clockSkewSeconds, 0))
          return badRequest(ctx, "clockSkewSeconds must be a number >= 0.");
        config.clockSkewSeconds = body.clockSkewSeconds as number;
      }
      const arm = body.arm as Record<string, unknown> | undefined;
      if (arm) {
        if (arm.lroPolls !== undefined && !number(arm.lroPolls, 0))
          return badRequest(ctx, "arm.lroPolls must be >= 0.");
        if (arm.pageSize !== undefined && !number(arm.pageSize, 1))
          return badRequest(ctx, "arm.pageSize must be >= 1.");
        if (arm.retryAfterSeconds !== undefined && !number(arm.retryAfterSeconds, 1))
          return badRequest(ctx, "arm.retryAfterSeconds must be >= 1.");
        Object.assign(config.arm, arm);
      }
      sendJson(ctx.res, 200, runtimeSettings(ctx));
      return;
    }
    default:
      sendJson(ctx.res, 404, {
        error: { code: "NotFound", message: `No admin endpoint ${ctx.method} /_emulator/${route}.` },
      });
  }
}

function runtimeSettings(ctx: RequestContext) {
  const { tokenLifetimeSeconds, clockSkewSeconds, arm } = ctx.services.config;
  return { tokenLifetimeSeconds, clockSkewSeconds, arm };
}

/** Admin bodies are small JSON documents; more than this is a 413. */
const ADMIN_BODY_LIMIT = 1024 * 1024;

/** The request body as JSON: undefined when empty or not JSON (each route says what it wanted). */
async function readJson(ctx: RequestContext): Promise<unknown> {
  let text: string;
  try {
    text = await readSmallBody(ctx.req, ADMIN_BODY_LIMIT);
  } catch (err) {
    if (!(err instanceof BodyTooLargeError)) throw err;
    throw new AdminError(
      413,
      "RequestEntityTooLarge",
      `The request body exceeds ${describeLimit(err.limit)}; admin requests are small JSON documents.`,
    );
  }
  return text ? tryParseJson(text) : undefined;
}

/** A refusal of the admin API, answered as `{"error":{code,message}}`. */
class AdminError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function badRequest(ctx: RequestContext, message: string): void {
  sendJson(ctx.res, 400, { error: { code: "InvalidRequest", message } });
}
