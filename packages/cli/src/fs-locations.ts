import type { Cloud, Logger } from "@adlkit/core";
import type { FsClient, Gen2FsClient, Location } from "@adlkit/fs-client";
import type { TokenCredential } from "@azure/core-auth";
import type { FsTarget } from "./context.js";
import { UsageError } from "./errors.js";

/**
 * Where the remote path of an `fs` command lives: `adl://ACCOUNT/path` (Gen1), `abfss://FS@ACCOUNT/path` (Gen2)
 * or a plain `/path` on the default Gen1 account (-a, ADL_ACCOUNT, the profile's). The one place that turns such
 * a text into a client: one client per account (and filesystem) for the whole command, closed at its end.
 */
export interface FsLocations {
  at(text: string): Promise<FsTarget>;
  /** The Gen2 filesystems opened so far, as their URL and URI: an error about one names the URI. */
  filesystems(): Array<{ url: string; uri: string; account: string }>;
  close(): Promise<void>;
}

export interface FsLocationsInput {
  cloud: () => Promise<Cloud>;
  /** The credential, cloud and (with --debug) logger both clients take. */
  clientOptions: () => Promise<{ credential: TokenCredential; cloud: Cloud; logger?: Partial<Logger> }>;
  /** The Gen1 client of the default account (a plain path); it asks for --account only when a plain path is used. */
  defaultFs: () => Promise<FsClient>;
  /** The default account's name, once the settings are read (undefined when none is set). */
  defaultAccount: () => Promise<string | undefined>;
}

/** A URI rather than a plain path: the schemes a location can have (the parser refuses the wrong ones clearly). */
const URI = /^[a-z][a-z0-9+.-]*:\/\//i;

export function createFsLocations(input: FsLocationsInput): FsLocations {
  /** The clients made here, by account (and filesystem); the default account's is the context's own. */
  const clients = new Map<string, Promise<FsClient | Gen2FsClient>>();
  const opened: Array<{ url: string; uri: string; account: string }> = [];

  async function clientFor(location: Location, key: string): Promise<FsClient | Gen2FsClient> {
    if (location.protocol === "gen1" && location.account === (await input.defaultAccount()))
      return input.defaultFs();
    let client = clients.get(key);
    if (!client) {
      client = (async () => {
        const [lib, common] = await Promise.all([import("@adlkit/fs-client"), input.clientOptions()]);
        if (location.protocol === "gen1")
          return lib.createFsClient({ ...common, accountName: location.account, gcPacing: true });
        const gen2 = lib.createGen2FsClient({
          ...common,
          accountName: location.account,
          filesystem: location.filesystem,
          gcPacing: true,
        });
        opened.push({
          url: gen2.url,
          uri: lib.formatLocation({ ...location, path: "/" }),
          account: location.account,
        });
        return gen2;
      })();
      clients.set(key, client);
    }
    return client;
  }

  return {
    async at(text) {
      if (!URI.test(text)) {
        const client = await input.defaultFs();
        const account = (await input.defaultAccount()) as string;
        return {
          client,
          protocol: "gen1",
          path: text,
          store: `gen1:${account}`,
          show: (path) => path,
        };
      }
      const { parseLocation, formatLocation } = await import("@adlkit/fs-client");
      const location = readLocation(parseLocation, text, await input.cloud());
      const store =
        location.protocol === "gen1"
          ? `gen1:${location.account}`
          : `gen2:${location.account}/${location.filesystem}`;
      return {
        client: await clientFor(location, store),
        protocol: location.protocol,
        path: location.path,
        store,
        show: (path) => formatLocation({ ...location, path }),
      } as FsTarget;
    },
    filesystems: () => [...opened],
    async close() {
      await Promise.all([...clients.values()].map((p) => p.then((client) => client.close()).catch(() => {})));
    },
  };
}

/** A location URI, or a usage error that quotes it and shows the forms (fs-client says what is wrong with it). */
function readLocation(parse: (uri: string, cloud: Cloud) => Location, text: string, cloud: Cloud): Location {
  try {
    return parse(text, cloud);
  } catch (err) {
    const { code, problem } = err as { code?: unknown; problem?: unknown };
    if (code !== "INVALID_ARGUMENT" || typeof problem !== "string") throw err;
    // fs-client's problem starts with the URI itself (`'abfs://…': …`) or names a part of it (`'Bad' is not …`).
    const quoted = `'${text}'`;
    const reason = problem.startsWith(`${quoted}: `)
      ? problem.slice(quoted.length + 2)
      : problem.startsWith(`${quoted} `)
        ? problem.slice(quoted.length + 1)
        : problem;
    throw new UsageError(
      `location ${text}: ${reason}`,
      "Write adl://ACCOUNT/path (Gen1) or abfss://FILESYSTEM@ACCOUNT/path (Gen2); the host may also be given in full (ACCOUNT.azuredatalakestore.net, ACCOUNT.dfs.core.windows.net on the public cloud).",
    );
  }
}
