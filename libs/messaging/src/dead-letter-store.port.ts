import type { DeadLetter, SourceContext } from './consumer.port';

export type ListDeadLettersOptions = { source?: SourceContext; limit?: number };

/**
 * Where the embedded (event-store) consumer keeps dead letters. Recording the same event for
 * the same consumer again (a redelivery after a crash) replaces the earlier record.
 * Adapters: in-memory and PostgreSQL.
 */
export type DeadLetterStore = {
  record(deadLetter: DeadLetter): Promise<void>;
  /** Oldest first. */
  list(consumer: string, options?: ListDeadLettersOptions): Promise<DeadLetter[]>;
};
