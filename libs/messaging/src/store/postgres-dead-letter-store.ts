import type { Pool } from 'pg';
import { fromCloudEvent, toCloudEvent } from '@crm/contracts';
import type { DeadLetter, SourceContext } from '../consumer.port';
import type { DeadLetterStore, ListDeadLettersOptions } from '../dead-letter-store.port';
import { quoteSchema } from './messaging-schema';

type Row = { consumer: string; source: SourceContext; event: Record<string, unknown>; error: string; attempts: number; failed_at: Date };

/** Dead letters in `<schema>.consumer_dead_letters`, the event stored as its CloudEvent. */
export class PostgresDeadLetterStore implements DeadLetterStore {
  private readonly table: string;

  constructor(private readonly pool: Pool, schema: string) {
    this.table = `${quoteSchema(schema)}.consumer_dead_letters`;
  }

  async record(d: DeadLetter): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${this.table} (consumer, source, event_id, event_position, event, error, attempts, failed_at)
       VALUES ($1, $2, $3, $4::bigint, $5::jsonb, $6, $7, $8)
       ON CONFLICT (consumer, source, event_id) DO UPDATE
         SET event = EXCLUDED.event, error = EXCLUDED.error, attempts = EXCLUDED.attempts, failed_at = EXCLUDED.failed_at`,
      [d.consumer, d.source, d.event.id, d.event.position.toString(), JSON.stringify(toCloudEvent(d.source, d.event)), d.error, d.attempts, d.failedAt],
    );
  }

  async list(consumer: string, options: ListDeadLettersOptions = {}): Promise<DeadLetter[]> {
    const { rows } = await this.pool.query<Row>(
      `SELECT consumer, source, event, error, attempts, failed_at FROM ${this.table}
       WHERE consumer = $1 AND ($2::text IS NULL OR source = $2) ORDER BY id LIMIT $3`,
      [consumer, options.source ?? null, options.limit ?? 1000],
    );
    return rows.map((r) => ({
      consumer: r.consumer,
      source: r.source,
      event: fromCloudEvent(r.event),
      error: r.error,
      attempts: r.attempts,
      failedAt: r.failed_at,
    }));
  }
}
