/*
 * TEMPORARY RESOLVER (migrate branch): the smallest way for `adl fs cp` to open an adl:// or abfss:// location.
 * The gen2-cli branch adds the CLI-wide one (ctx.fsAt in create-context.ts); when the branches merge, replace
 * `openLocation` below with ctx.fsAt and delete this file.
 */
import { readFile } from "node:fs/promises";
import nodePath from "node:path";
import type { Cloud } from "@adlkit/core";
import type { FsClient, Gen2FsClient } from "@adlkit/fs-client";
import type { Context } from "../../context.js";
import { readConnection } from "../../create-context.js";
import { CliError } from "../../errors.js";

export type OpenedLocation =
  | { kind: "local"; path: string; text: string }
  | { kind: "remote"; client: FsClient | Gen2FsClient; path: string; text: string };

/** The cloud of the current settings (the emulator's, with its CA, under --emulator). */
async function cloudOf(ctx: Context): Promise<Cloud> {
  const settings = await ctx.settings();
  const core = await import("@adlkit/core");
  if (settings.cloud !== "emulator") return core.cloudByName(settings.cloud);
  const file = settings.emulatorConnectionFile;
  if (!file)
    throw new CliError("the emulator cloud needs the emulator's connection.json: pass --emulator DIR", {
      code: "EMULATOR_CONNECTION_MISSING",
    });
  const connection = await readConnection(file);
  const caPem = await readFile(connection.caCertificatePath, "utf8");
  return core.emulatorCloud({ ...connection, caPem });
}

/** A location URI opens a client of its protocol (closed by the caller); anything else is a local path. */
export async function openLocation(text: string, ctx: Context): Promise<OpenedLocation> {
  const fsClient = await import("@adlkit/fs-client");
  if (!fsClient.isLocationUri(text)) return { kind: "local", path: nodePath.resolve(ctx.cwd, text), text };
  const [cloud, credential] = await Promise.all([cloudOf(ctx), ctx.credential()]);
  const { client, path } = fsClient.openFileSystem(text, { credential, cloud });
  return { kind: "remote", client, path, text };
}
