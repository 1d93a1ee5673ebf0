import type { Cloud, ErrorFactory, HttpClientOptions } from "@adlkit/core";
import { VERSION } from "./version.js";

/** The resolved options both wires (WebHDFS and DFS) hand to core's transport. */
type TransportSettings = Pick<
  HttpClientOptions,
  "dispatcher" | "connections" | "retry" | "timeoutInMs" | "logger"
> & {
  cloud: Pick<Cloud, "caPem" | "caTrust">;
};

/**
 * Core's transport options that do not depend on the protocol: connection pool, retries, timeouts, logging and
 * the user agent, so that both protocols' clients identify and behave alike. Credentials and errors are each
 * wire's own.
 */
export function transportOptions(settings: TransportSettings, errorFactory: ErrorFactory): HttpClientOptions {
  return {
    caPem: settings.cloud.caPem,
    caTrust: settings.cloud.caTrust,
    dispatcher: settings.dispatcher,
    connections: settings.connections,
    retry: settings.retry,
    timeoutInMs: settings.timeoutInMs,
    userAgent: `adlkit-fs-client/${VERSION}`,
    logger: settings.logger,
    namespace: "adlkit:fs",
    errorFactory,
  };
}
