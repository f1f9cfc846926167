import type { RecordedEvent } from '@crm/contracts';
import type { EventSubscription, ReadAllOptions } from './event-store.port';

export type PollingSubscriptionSource = {
  /** Reads the next page of `$all` strictly after `after` (gap-safe in the adapter). */
  readPage(options: ReadAllOptions): Promise<RecordedEvent[]>;
  /**
   * Resolves when new events may be available, or after at most `maxWaitMs`, or when
   * `signal` aborts. Adapters wake it on their own append (in-memory) or on NOTIFY (PostgreSQL).
   */
  waitForMore(maxWaitMs: number, signal: AbortSignal): Promise<void>;
};

export type PollingSubscriptionOptions = Pick<ReadAllOptions, 'after' | 'filter'> & {
  pageSize?: number;
  idleWaitMs?: number;
};

/**
 * A catch-up subscription built on gap-safe page reads: read pages after the checkpoint until
 * one comes back empty, then wait for a wake-up (or the idle timeout) and read again. The
 * checkpoint only moves forward, so each event is delivered exactly once.
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
        await source.waitForMore(idleWaitMs, abort.signal);
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

  wait(maxWaitMs: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, maxWaitMs);
      signal.addEventListener('abort', done, { once: true });
      this.waiters.add(done);
    });
  }
}
