import type { EmulatorServices, RequestContext } from "../http/context.js";
import { sendJson } from "../http/respond.js";
import type { FilesystemTarget } from "../server.js";

/**
 * The Data Lake filesystem. Being built (issue 4): until then every filesystem path answers 501 in the
 * WebHDFS error shape, so clients fail clearly instead of being told something false.
 */
export function createWebHdfsHandler(_services: EmulatorServices): {
  handle(ctx: RequestContext, target: FilesystemTarget): Promise<void>;
  close(): void;
} {
  return {
    async handle(ctx) {
      ctx.req.resume();
      sendJson(ctx.res, 501, {
        RemoteException: { exception: "UnsupportedOperationException", message: "The filesystem is not served by this build of adl-emulator yet.", javaClassName: "java.lang.UnsupportedOperationException" },
      });
    },
    close() {},
  };
}
