import type { EmulatorServices, RequestContext } from "../http/context.js";
import { sendJson } from "../http/respond.js";

/**
 * Resource Manager. Being built (issue 3): until then every ARM path answers 501 with ARM's error shape,
 * so clients fail clearly instead of being told something false.
 */
export function createArmHandler(_services: EmulatorServices): { handle(ctx: RequestContext): Promise<boolean>; close(): void } {
  return {
    async handle(ctx) {
      ctx.req.resume();
      sendJson(ctx.res, 501, { error: { code: "NotImplemented", message: "Resource Manager is not served by this build of adl-emulator yet." } });
      return true;
    },
    close() {},
  };
}
