import type { IncomingMessage, ServerResponse } from "node:http";
import type { AccountDirectory } from "../accounts.js";
import type { TokenVerifier } from "../auth/verify-bearer.js";
import type { FaultInjector } from "../faults.js";
import type { IdentityStore } from "../identity/identity-store.js";
import type { Journal, JournalEntry } from "../journal.js";
import type { EmulatorConfig } from "../options.js";

/** What every part of the emulator (Entra, ARM, filesystem) is handed: shared state, no globals. */
export interface EmulatorServices {
  /** Absolute data directory; nothing may be read or written outside it. */
  readonly dataDir: string;
  readonly config: EmulatorConfig;
  readonly identity: IdentityStore;
  readonly tokens: TokenVerifier;
  /** The Data Lake accounts whose filesystem endpoints are alive (created through ARM or listed in config). */
  readonly accounts: AccountDirectory;
  readonly journal: Journal;
  readonly faults: FaultInjector;
  /** Secret for the `/_emulator` admin API (header `x-adl-emulator-key`). */
  readonly adminKey: string;
}

/** One request as the handlers see it. */
export interface RequestContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** Upper-case HTTP method. */
  readonly method: string;
  /** The request URL, absolute, on the base the client used. */
  readonly url: URL;
  /**
   * Scheme, host and port of the absolute URLs we return ("https://localhost:8443"): the host the client
   * addressed when it is one of ours (http/base-url.ts), never an arbitrary Host header.
   */
  readonly baseUrl: string;
  /** Also sent back as `x-ms-request-id`. */
  readonly requestId: string;
  /** The journal line for this request; handlers fill `op`, `account`, `principal`. */
  readonly entry: JournalEntry;
  readonly services: EmulatorServices;
  /** Set by a `fail-operation` fault: the long-running operation this request starts ends Failed with it. */
  failOperation?: { code: string; message: string };
}

export type Handler = (ctx: RequestContext) => Promise<void>;
