import type { RequestContext } from "../http/context.js";
import type { NamespaceCaller } from "../namespace/caller.js";
import type { Prefix, QueryParams } from "./parse-request.js";

/** One filesystem request after routing, authentication and path normalisation: what an operation works on. */
export interface FsRequest extends NamespaceCaller {
  readonly ctx: RequestContext;
  /** Upper-case operation name. */
  readonly op: string;
  readonly prefix: Prefix;
  /** Normalised path segments; `[]` is the root. */
  readonly segments: string[];
  /** The normalised path, `/a/b`. */
  readonly path: string;
  readonly params: QueryParams;
}

/** An operation: the HTTP method it answers to, and what it does. */
export interface Operation {
  method: "GET" | "PUT" | "POST" | "DELETE";
  run(req: FsRequest): Promise<void> | void;
}
