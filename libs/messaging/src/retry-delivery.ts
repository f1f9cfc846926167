import { context as otelContext, ROOT_CONTEXT, type Context } from '@opentelemetry/api';
import type { RecordedEvent } from '@crm/contracts';
import type { EventHandler, SourceContext } from './consumer.port';

/** In-place retry back-off: `initialBackoffMs`, doubled per failed attempt, capped at `maxBackoffMs`. */
export type RetryPolicy = { initialBackoffMs: number; maxBackoffMs: number };

export const DEFAULT_RETRY_POLICY: RetryPolicy = { initialBackoffMs: 100, maxBackoffMs: 5_000 };

/** `attempt`: the number of the last attempt made (counting from `firstAttempt`). */
export type DeliveryOutcome =
  | { kind: 'handled'; attempt: number }
  | { kind: 'dead'; attempt: number; error: string }
  /** The consumer stopped during a back-off: the event was not handled. */
  | { kind: 'aborted'; attempt: number };

export type DeliveryRequest = {
  event: RecordedEvent;
  source: SourceContext;
  handler: EventHandler;
  /** Attempt number of the first try (JetStream: its delivery count; a crash mid-retry continues it). */
  firstAttempt: number;
  maxDeliver: number;
  policy: RetryPolicy;
  signal: AbortSignal;
  /** Trace context the handler runs in (extracted from the message or the event metadata). */
  trace?: Context;
};

export const errorText = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : typeof error === 'string' ? error : JSON.stringify(error) ?? String(error);

/** Resolves after `ms`, or at once when `signal` aborts. */
export const backOff = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });

export const backoffDelay = (policy: RetryPolicy, failedAttempts: number): number =>
  Math.min(policy.maxBackoffMs, policy.initialBackoffMs * 2 ** Math.max(0, Math.min(failedAttempts - 1, 30)));

/**
 * Calls the handler until it succeeds, retrying in place with a bounded back-off, so that no
 * later event of the source overtakes a failing one. After the `maxDeliver`-th failed attempt
 * the outcome is `dead`. At most `max(maxDeliver - firstAttempt + 1, 1)` calls.
 */
export const deliverWithRetry = async (request: DeliveryRequest): Promise<DeliveryOutcome> => {
  const { event, source, handler, firstAttempt, maxDeliver, policy, signal } = request;
  const trace = request.trace ?? ROOT_CONTEXT;
  const lastAttempt = Math.max(firstAttempt, maxDeliver);
  for (let attempt = firstAttempt; attempt <= lastAttempt; attempt++) {
    try {
      await otelContext.with(trace, () => handler(event, { source, attempt }));
      return { kind: 'handled', attempt };
    } catch (error) {
      if (attempt >= lastAttempt) return { kind: 'dead', attempt, error: errorText(error) };
      await backOff(backoffDelay(policy, attempt - firstAttempt + 1), signal);
      if (signal.aborted) return { kind: 'aborted', attempt };
    }
  }
  return { kind: 'aborted', attempt: lastAttempt };
};
