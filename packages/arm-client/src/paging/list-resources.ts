import type { ArmPipeline } from "../pipeline/arm-pipeline.js";
import { createPagedAsyncIterator, type PagedList } from "./paged-async-iterator.js";

export interface ListRequest {
  operation: string;
  path: string;
  apiVersion: string;
  query?: Record<string, string | number | boolean | undefined> | undefined;
  abortSignal?: AbortSignal | undefined;
}

/** An ARM list (`{value, nextLink}`) as a paged iterator; nextLinks are fetched verbatim, on our origin only. */
export function listResources<T>(pipeline: ArmPipeline, request: ListRequest): PagedList<T> {
  return createPagedAsyncIterator<T>(async (link) => {
    const response = await pipeline.send<{ value?: T[]; nextLink?: string | null }>(
      link === undefined
        ? {
            operation: request.operation,
            method: "GET",
            url: request.path,
            apiVersion: request.apiVersion,
            query: request.query,
            abortSignal: request.abortSignal,
          }
        : {
            operation: request.operation,
            method: "GET",
            url: pipeline.trustedUrl(link, "nextLink"),
            abortSignal: request.abortSignal,
          },
    );
    return { items: response.body?.value ?? [], nextLink: response.body?.nextLink };
  });
}
