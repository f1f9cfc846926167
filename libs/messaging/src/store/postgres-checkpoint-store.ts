import type { Pool } from 'pg';
import type { CheckpointStore } from '../checkpoint-store.port';
import type { SourceContext } from '../consumer.port';
import { quoteSchema } from './messaging-schema';

/** Checkpoints in `<schema>.consumer_checkpoints` (create it with `migrateMessaging`). */
export class PostgresCheckpointStore implements CheckpointStore {
  private readonly table: string;

  constructor(private readonly pool: Pool, schema: string) {
    this.table = `${quoteSchema(schema)}.consumer_checkpoints`;
  }

  async load(name: string, source: SourceContext): Promise<bigint | undefined> {
    const { rows } = await this.pool.query<{ position: string }>(`SELECT position::text AS position FROM ${this.table} WHERE consumer = $1 AND source = $2`, [name, source]);
    return rows.length === 0 ? undefined : BigInt(rows[0].position);
  }

  async save(name: string, source: SourceContext, position: bigint): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${this.table} (consumer, source, position, updated_at) VALUES ($1, $2, $3::bigint, now())
       ON CONFLICT (consumer, source) DO UPDATE SET position = EXCLUDED.position, updated_at = EXCLUDED.updated_at`,
      [name, source, position.toString()],
    );
  }
}
