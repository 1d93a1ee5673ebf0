import { setTimeout as sleep } from "node:timers/promises";
import { AbortError, AdlkitError, isTransient, retryAfterInMs, sanitizeUrl } from "@adlkit/core";
import { OperationFailedError } from "../errors/operation-failed-error.js";
import type { ArmPipeline, ArmRequest, ArmResponse } from "../pipeline/arm-pipeline.js";
import { inferLroMode, type LroMode, type LroPlan } from "./infer-lro-mode.js";
import {
  errorFromBody,
  type OperationStatus,
  statusFromLocationResponse,
  statusFromOperationBody,
  statusFromResourceBody,
} from "./operation-status.js";

/** Where a long-running operation stands. */
export interface OperationState<T> {
  status: OperationStatus;
  /** How it is being followed, once the first response is in. */
  mode: LroMode | undefined;
  /** The final resource (or undefined for deletes), once succeeded. */
  result: T | undefined;
  /** An OperationFailedError once failed or canceled. */
  error: Error | undefined;
  /** Status requests made so far (the final GET not counted). */
  pollCount: number;
}

/**
 * A long-running operation in progress, shaped like Azure's PollerLike: `await poller` (or
 * `pollUntilDone()`) resolves to the result, `operationState` is the state now, `onProgress` hears every
 * change. Polls wait as long as the service's Retry-After asks, else the client's pollIntervalInMs.
 */
export interface ArmPoller<T> extends PromiseLike<T> {
  readonly operationState: Readonly<OperationState<T>>;
  readonly isDone: boolean;
  /** Resolves once the service has accepted the operation (its first response is in); rejects if it refused. */
  submitted(): Promise<void>;
  /** One status request now (no waiting); returns the new state. */
  poll(options?: { abortSignal?: AbortSignal | undefined }): Promise<Readonly<OperationState<T>>>;
  /** Polls until a terminal state; resolves to the result or rejects with OperationFailedError. Aborting stops the waiting, not the operation. */
  pollUntilDone(options?: { abortSignal?: AbortSignal | undefined }): Promise<T>;
  /** Calls `callback` with the state after the first response and after every poll; returns an unsubscribe function. */
  onProgress(callback: (state: Readonly<OperationState<T>>) => void): () => void;
}

export interface BeginOptions {
  abortSignal?: AbortSignal | undefined;
  /** Overrides the client's pollIntervalInMs for this operation (used when the service sends no Retry-After). */
  pollIntervalInMs?: number | undefined;
}

export interface PollerConfig<T> {
  pipeline: ArmPipeline;
  /** e.g. `accounts.beginCreate`. */
  operation: string;
  /** Path of the resource, for messages. */
  resourcePath: string;
  initial: ArmRequest;
  /** Turns a final body (undefined for none) into the result. */
  parseResult: (body: unknown) => T;
  options?: BeginOptions | undefined;
}

/**
 * Location polling: a client error on the Location URL is how the service says the operation failed (it answers
 * what the synchronous request would have, e.g. 409 with the error). Not these, which say something about the
 * poll itself: 401/403 (credentials), 404 (no such operation), the transient ones (retried like any request).
 */
const OPERATION_FAILURE_STATUSES = Array.from({ length: 100 }, (_, i) => 400 + i).filter(
  (status) => ![401, 403, 404].includes(status) && !isTransient({ status }),
);

export function createArmPoller<T>(config: PollerConfig<T>): ArmPoller<T> {
  const { pipeline, operation } = config;
  const baseSignal = config.options?.abortSignal;
  const intervalInMs = config.options?.pollIntervalInMs ?? pipeline.pollIntervalInMs;
  const state: OperationState<T> = {
    status: "notStarted",
    mode: undefined,
    result: undefined,
    error: undefined,
    pollCount: 0,
  };
  const listeners = new Set<(state: Readonly<OperationState<T>>) => void>();
  let plan: LroPlan = { mode: "None" };
  let clientRequestId: string | undefined;
  let requestUrl = "";
  let waitInMs: number | undefined;
  let polling: Promise<Readonly<OperationState<T>>> | undefined;
  let whenDone: Promise<T> | undefined;

  const snapshot = (): Readonly<OperationState<T>> => Object.freeze({ ...state });
  const notify = () => {
    const current = snapshot();
    for (const listener of listeners) listener(current);
  };
  const failWith = (status: "failed" | "canceled", body: unknown, requestId: string | undefined) => {
    state.status = status;
    state.error = new OperationFailedError({
      operation,
      resourcePath: config.resourcePath,
      status,
      error: errorFromBody(body),
      requestId,
    });
  };
  const succeed = (body: unknown) => {
    state.status = "succeeded";
    state.result = config.parseResult(body);
  };
  const get = (url: string, label: string, signal: AbortSignal | undefined, acceptStatuses?: number[]) =>
    pipeline.send({
      operation: `${operation} (${label})`,
      method: "GET",
      url,
      clientRequestId,
      abortSignal: signal,
      acceptStatuses,
    });

  const submittedPromise = (async () => {
    const response = await pipeline.send({ ...config.initial, operation, abortSignal: baseSignal });
    clientRequestId = response.clientRequestId;
    requestUrl = response.url;
    plan = inferLroMode({
      method: config.initial.method,
      requestUrl,
      status: response.status,
      headers: response.headers,
    });
    if (plan.pollUrl) plan.pollUrl = pipeline.trustedUrl(plan.pollUrl, "polling URL").toString();
    if (plan.finalUrl) plan.finalUrl = pipeline.trustedUrl(plan.finalUrl, "final resource URL").toString();
    state.mode = plan.mode;
    waitInMs = retryAfterInMs(response.headers);
    if (plan.mode === "None") succeed(response.body);
    else if (plan.mode === "Body") settleFromResource(response);
    else state.status = "running";
    pipeline.logger.verbose(
      `${operation}: ${config.resourcePath} accepted (${response.status}); following it by ${plan.mode}`,
    );
    notify();
  })();
  submittedPromise.catch(() => {}); // reported through submitted()/pollUntilDone(); never an unhandled rejection

  function settleFromResource(response: ArmResponse): void {
    const status = statusFromResourceBody(response.body);
    if (status === "succeeded") succeed(response.body);
    else if (status === "running") state.status = "running";
    else failWith(status, response.body, response.headers.get("x-ms-request-id") ?? undefined);
  }

  async function pollOnce(signal: AbortSignal | undefined): Promise<Readonly<OperationState<T>>> {
    await submittedPromise;
    if (isTerminal(state.status)) return snapshot();
    const pollUrl = plan.pollUrl!;
    let response: ArmResponse;
    if (plan.mode === "OperationLocation") {
      response = await get(pollUrl, "status", signal);
      const status = statusFromOperationBody(response.body);
      if (!status) {
        throw new AdlkitError(
          `${operation}: the operation status at ${sanitizeUrl(pollUrl)} has no status field.`,
          { code: "INVALID_RESPONSE" },
        );
      }
      state.pollCount++;
      if (status === "succeeded") {
        if (plan.finalUrl) succeed((await get(plan.finalUrl, "final GET", signal)).body);
        else succeed(undefined);
      } else if (status !== "running") {
        failWith(status, response.body, response.headers.get("x-ms-request-id") ?? undefined);
      }
    } else if (plan.mode === "ResourceLocation") {
      response = await get(pollUrl, "status", signal, OPERATION_FAILURE_STATUSES);
      state.pollCount++;
      const next = response.headers.get("location");
      if (next) plan.pollUrl = pipeline.trustedUrl(next, "polling URL").toString();
      const status = statusFromLocationResponse(response.status);
      if (status === "succeeded") {
        const method = config.initial.method;
        if (response.body === undefined && (method === "PUT" || method === "PATCH")) {
          succeed((await get(requestUrl, "final GET", signal)).body);
        } else {
          succeed(response.body);
        }
      } else if (status === "failed") {
        failWith(status, response.body, response.headers.get("x-ms-request-id") ?? undefined);
      }
    } else {
      response = await get(requestUrl, "status", signal);
      state.pollCount++;
      settleFromResource(response);
    }
    waitInMs = retryAfterInMs(response.headers);
    notify();
    return snapshot();
  }

  function poll(
    options: { abortSignal?: AbortSignal | undefined } = {},
  ): Promise<Readonly<OperationState<T>>> {
    polling ??= pollOnce(combine(baseSignal, options.abortSignal)).finally(() => {
      polling = undefined;
    });
    return polling;
  }

  async function pollUntilDone(options: { abortSignal?: AbortSignal | undefined } = {}): Promise<T> {
    const signal = combine(baseSignal, options.abortSignal);
    await submittedPromise;
    while (!isTerminal(state.status)) {
      const delay = waitInMs !== undefined && waitInMs > 0 ? waitInMs : intervalInMs;
      if (signal?.aborted) throw aborted(signal);
      try {
        await sleep(delay, undefined, signal ? { signal } : undefined);
      } catch (err) {
        if (signal?.aborted) throw aborted(signal);
        throw err;
      }
      await poll(signal ? { abortSignal: signal } : {});
    }
    if (state.error) throw state.error;
    return state.result as T;
  }

  function aborted(signal: AbortSignal): AbortError {
    return new AbortError(
      `${operation} on ${config.resourcePath}: stopped waiting because the caller aborted; the operation itself may still complete.`,
      signal.reason,
    );
  }

  return {
    get operationState() {
      return snapshot();
    },
    get isDone() {
      return isTerminal(state.status);
    },
    submitted: () => submittedPromise,
    poll,
    pollUntilDone,
    onProgress(callback) {
      listeners.add(callback);
      return () => listeners.delete(callback);
    },
    // biome-ignore lint/suspicious/noThenProperty: awaitable by design, like Azure's PollerLike
    then(onFulfilled, onRejected) {
      whenDone ??= pollUntilDone();
      return whenDone.then(onFulfilled, onRejected);
    },
  };
}

function isTerminal(status: OperationStatus): boolean {
  return status === "succeeded" || status === "failed" || status === "canceled";
}

function combine(a: AbortSignal | undefined, b: AbortSignal | undefined): AbortSignal | undefined {
  if (a && b) return AbortSignal.any([a, b]);
  return a ?? b;
}
