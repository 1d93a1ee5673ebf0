import { once } from "node:events";
import type { Context } from "../context.js";
import { CliError } from "../errors.js";
import type { Result } from "../result.js";

/** `adl emulator start`: `startEmulator()` in the foreground; Ctrl-C closes it cleanly (exit 0). */
export async function start(
  options: { port: number; data: string; config?: string },
  ctx: Context,
): Promise<Result> {
  const [{ startEmulator }, { redactText }] = await Promise.all([
    import("@adlkit/emulator"),
    import("@adlkit/core"),
  ]);
  const chatty = ctx.globals.verbose || ctx.globals.debug;
  const secrets: string[] = [];
  const emulator = await startEmulator({
    port: options.port,
    dataDir: options.data,
    ...(options.config ? { configFile: options.config } : {}),
    ...(chatty ? { log: (line: string) => ctx.stderr.write(`${redactText(line, secrets)}\n`) } : {}),
  }).catch((err: unknown) => {
    if ((err as { code?: unknown }).code !== "EADDRINUSE") throw err;
    throw new CliError(`port ${options.port} is already in use`, {
      code: "PORT_IN_USE",
      hint: `Pass --port 0 to pick a free port (\`adl emulator start --port 0 --data ${options.data}\`), or stop what listens on ${options.port}.`,
    });
  });
  const { connection } = emulator;
  secrets.push(connection.clientSecret, connection.adminKey, connection.managedIdentity.header);
  return {
    kind: "record",
    data: {
      url: emulator.url,
      port: emulator.port,
      dataDir: emulator.dataDir,
      connectionFile: emulator.connectionFile,
      caCertificatePath: connection.caCertificatePath,
      tenantId: connection.tenantId,
      clientId: connection.clientId,
      subscriptionId: connection.subscriptionId,
    },
    message: [
      `Emulator ready at ${emulator.url}. Press Ctrl-C to stop it.`,
      `Point adl at it:  adl profile add local --from-emulator ${emulator.dataDir} --use`,
      `Other tools:      NODE_EXTRA_CA_CERTS=${connection.caCertificatePath} (REQUESTS_CA_BUNDLE for Python)`,
    ].join("\n"),
    after: async () => {
      if (!ctx.signal.aborted) await once(ctx.signal, "abort");
      await emulator.close();
      ctx.note("Emulator stopped.");
    },
  };
}
