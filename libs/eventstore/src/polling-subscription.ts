import type { RecordedEvent } from '@crm/contracts';
import type { EventSubscription, ReadAllOptions } from './event-store.port';

export type PollingSubscriptionSource = {
  /** Reads the next page of `$all` strictly after `after` (gap-safe in the adapter). */
  readPage(options: ReadAllOptions): Promise<RecordedEvent[]>;
  /**
   * Resolves `true` when woken because new events were committed, `false` after `maxWaitMs` or
   * when `signal` aborts. Adapters wake it on their own append (in-memory) or on NOTIFY (PostgreSQL).
   */
  waitForMore(maxWaitMs: number, signal: AbortSignal): Promise<boolean>;
};

export type PollingSubscriptionOptions = Pick<ReadAllOptions, 'after' | 'filter'> & {
  pageSize?: number;
  idleWaitMs?: number;
};

/** Re-polls after a wake-up that found nothing start here, double, and stop growing here. */
const FIRST_RECHECK_MS = 10;
const MAX_RECHECK_MS = 1_000;
/** …and give up (back to the idle interval) when a wake-up has found nothing for this long. */
const RECHECK_FOR_MS = 10_000;

/**
 * A catch-up subscription built on gap-safe page reads: read pages after the checkpoint until
 * one comes back empty, then wait for a wake-up (or the idle timeout) and read again. The
 * checkpoint only moves forward, so each event is delivered exactly once.
 *
 * A wake-up says events were committed, but a gap-safe read may not return them yet (on
 * PostgreSQL they stay behind the horizon while an older transaction anywhere in the cluster is
 * open), and no second wake-up will come for them. So after a wake-up whose read came back empty
 * the subscription re-polls soon, with a growing back-off, instead of sleeping the idle interval.
 */
export const pollingSubscription = (source: PollingSubscriptionSource, options: PollingSubscriptionOptions = {}): EventSubscription => {
  const abort = new AbortController();
  const pageSize = options.pageSize ?? 1000;
  const idleWaitMs = options.idleWaitMs ?? 500;
  let after = options.after;

  async function* iterate(): AsyncGenerator<RecordedEvent> {
    // While a full page is being delivered, the next one is already being read (catch-up reads
    // overlap the database's work with the consumer's). It starts strictly after the page's last
    // position, exactly as a sequential read would, so delivery order and exactly-once hold.
    let prefetched: Promise<RecordedEvent[]> | undefined;
    let recheckMs = 0; // > 0 while a wake-up has not yet produced its events
    let recheckSince = 0;
    while (!abort.signal.aborted) {
      const page = await (prefetched ?? source.readPage({ after, filter: options.filter, maxCount: pageSize }));
      prefetched = undefined;
      if (page.length >= pageSize) {
        prefetched = source.readPage({ after: page[page.length - 1].position, filter: options.filter, maxCount: pageSize });
        prefetched.catch(() => undefined); // surfaces when awaited; not if the subscription closes first
      }
      for (const event of page) {
        if (abort.signal.aborted) return;
        after = event.position;
        yield event;
      }
      if (page.length < pageSize && !abort.signal.aborted) {
        if (page.length > 0 || Date.now() - recheckSince > RECHECK_FOR_MS) recheckMs = 0;
        else if (recheckMs > 0) recheckMs = Math.min(recheckMs * 2, MAX_RECHECK_MS);
        const woken = await source.waitForMore(recheckMs > 0 ? Math.min(recheckMs, idleWaitMs) : idleWaitMs, abort.signal);
        if (woken && recheckMs === 0) {
          recheckMs = FIRST_RECHECK_MS;
          recheckSince = Date.now();
        }
      }
    }
  }

  const iterator = iterate();
  return {
    [Symbol.asyncIterator]: () => iterator,
    close: async () => {
      abort.abort();
      await iterator.return(undefined);
    },
  };
};

/** A wake-up signal for `waitForMore`: `notify()` releases every current waiter. */
export class WakeUp {
  private waiters = new Set<() => void>();

  notify(): void {
    const current = [...this.waiters];
    this.waiters.clear();
    for (const w of current) w();
  }

  /** `true` when released by `notify()`, `false` on timeout or abort. */
  wait(maxWaitMs: number, signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const finish = (woken: boolean) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', aborted);
        this.waiters.delete(notified);
        resolve(woken);
      };
      const notified = () => finish(true);
      const aborted = () => finish(false);
      const timer = setTimeout(aborted, maxWaitMs);
      signal.addEventListener('abort', aborted, { once: true });
      this.waiters.add(notified);
    });
  }
}
