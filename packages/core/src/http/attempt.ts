import type { IncomingHttpHeaders } from "node:http";
import type { Dispatcher } from "undici";
import type { AttemptBody, LocalFailure } from "./request-body.js";
import { ResponseHead, StreamResponse, TextResponse, textOf } from "./response.js";

/** One attempt of a request, as the retry loop prepared it. */
export interface Attempt {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: AttemptBody;
  signal: AbortSignal | undefined;
  /** Limit on the wait for response headers, and on silence between body chunks. */
  timeoutInMs: number;
  clientRequestId: string;
  dispatcher: Dispatcher;
  /** Statuses handed back as an answer (besides 2xx). */
  accepts: (status: number) => boolean;
  /** Failures of our own side (a body source, a sink); see `LocalFailure`. */
  local: LocalFailure;
}

/** An answer for the caller, or an error response (its body read as text) for the loop to judge. */
export type Outcome<T> = { answer: T; head: ResponseHead } | { failed: TextResponse };

/** Receives a response body chunk by chunk; may pause and later resume the transfer, or abort it. */
export type BodySink = (chunk: Buffer, controller: BodyController) => void;

export interface BodyController {
  pause(): void;
  resume(): void;
  /** Stops the transfer with a failure of the sink's own (not retried). */
  abort(reason: Error): void;
}

/**
 * One request by the dispatcher's `request()` (what `undici.request` calls, without undici's package entry point,
 * which loads fetch, WebSocket and the rest: the CLI's bundle leaves them out): the answer's body unread, or read
 * whole inside the attempt (`text`).
 */
export async function requestOnce(
  attempt: Attempt,
  read: "stream" | "text",
  peek?: ((head: string) => boolean) | undefined,
): Promise<Outcome<StreamResponse | TextResponse>> {
  const response = await attempt.dispatcher.request({
    origin: attempt.url.origin,
    path: `${attempt.url.pathname}${attempt.url.search}`,
    method: attempt.method as Dispatcher.HttpMethod,
    headers: attempt.headers,
    body: attempt.body as Buffer | string | null, // undici takes iterables of Buffers too (not in its types)
    headersTimeout: attempt.timeoutInMs,
    bodyTimeout: attempt.timeoutInMs,
    ...(attempt.signal ? { signal: attempt.signal } : {}),
  });
  const head = new ResponseHead(response.statusCode, response.headers, attempt.clientRequestId);
  const answer = isSuccess(head.status) || attempt.accepts(head.status);
  if (answer && read === "stream") return { answer: new StreamResponse(head, response.body), head };
  // Read here, inside the attempt: a connection cut part-way through the body is then a network failure that
  // the loop retries like any other, not an error the caller meets later.
  const text = await textOf(response.body, answer && isSuccess(head.status) ? peek : undefined);
  const textResponse = new TextResponse(head, text);
  return answer ? { answer: textResponse, head } : { failed: textResponse };
}

/**
 * One request by `dispatcher.dispatch()`, a 2xx body handed to `sink` chunk by chunk as the socket delivers it
 * (no Readable, no async iterator). Resolves once the body has ended; a body that breaks rejects, after its earlier
 * chunks reached the sink (`progress.delivered` then says so).
 */
export async function dispatchOnce(
  attempt: Attempt,
  sink: BodySink,
  progress: { delivered: boolean },
): Promise<Outcome<ResponseHead>> {
  const started = await new Promise<{ ended: Promise<void>; head: ResponseHead } | { failed: TextResponse }>(
    (resolve, reject) => {
      const { signal, local } = attempt;
      let controller: Dispatcher.DispatchController | undefined;
      let streaming = false;
      let head: ResponseHead | undefined;
      const errorBody: Buffer[] = [];
      let endBody: (() => void) | undefined;
      let failBody: ((err: Error) => void) | undefined;
      const onAbort = () => controller?.abort(signal?.reason ?? new Error("aborted"));
      signal?.addEventListener("abort", onAbort, { once: true });
      const done = () => signal?.removeEventListener("abort", onAbort);
      const control: BodyController = {
        pause: () => controller?.pause(),
        resume: () => controller?.resume(),
        abort: (reason) => {
          local.error ??= reason;
          controller?.abort(reason);
        },
      };
      attempt.dispatcher.dispatch(
        {
          origin: attempt.url.origin,
          path: `${attempt.url.pathname}${attempt.url.search}`,
          method: attempt.method as Dispatcher.HttpMethod,
          headers: attempt.headers,
          body: attempt.body as Buffer | string | null,
          headersTimeout: attempt.timeoutInMs,
          bodyTimeout: attempt.timeoutInMs,
        },
        {
          onRequestStart(c) {
            controller = c;
            if (signal?.aborted) c.abort(signal.reason);
          },
          onResponseStart(_c, code, headers) {
            if (code < 200) return;
            head = new ResponseHead(code, headers as IncomingHttpHeaders, attempt.clientRequestId);
            if (isSuccess(code)) {
              streaming = true;
              const ended = new Promise<void>((res, rej) => {
                endBody = res;
                failBody = rej;
              });
              ended.catch(() => {}); // awaited below; never an unhandled rejection
              resolve({ ended, head });
            }
          },
          onResponseData(_c, chunk) {
            if (!streaming) {
              errorBody.push(chunk);
              return;
            }
            progress.delivered = true;
            try {
              sink(chunk, control);
            } catch (err) {
              control.abort(err as Error);
            }
          },
          onResponseEnd() {
            done();
            if (streaming) endBody?.();
            else if (head)
              resolve({ failed: new TextResponse(head, Buffer.concat(errorBody).toString("utf8")) });
          },
          onResponseError(_c, err) {
            done();
            if (streaming) failBody?.(err);
            else reject(err);
          },
        },
      );
    },
  );
  if ("failed" in started) return started;
  await started.ended;
  return { answer: started.head, head: started.head };
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}
