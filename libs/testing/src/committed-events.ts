import type { Pool } from 'pg';

export type CommittedEvent = {
  position: bigint;
  streamName: string;
  type: string;
  data: unknown;
  metadata: Record<string, unknown> & { tenantId?: string };
};

/**
 * Every committed event of a PostgreSQL event store schema, in position order, read from its
 * table. For assertions right after a write: `$all` (readAll) shows a commit only once every
 * older write transaction of the whole server has ended, so on a test server shared by many
 * suites it can briefly lag; a plain read of committed rows does not.
 */
export const committedEvents = async (
  pool: Pool,
  schema: string,
  filter: { tenantId?: string; types?: readonly string[] } = {},
): Promise<CommittedEvent[]> => {
  const { rows } = await pool.query<{ position: string; stream_name: string; type: string; data: unknown; metadata: CommittedEvent['metadata'] }>(
    `SELECT position::text, stream_name, type, data, metadata FROM "${schema}".events
      WHERE ($1::text IS NULL OR metadata->>'tenantId' = $1) AND ($2::text[] IS NULL OR type = ANY($2))
      ORDER BY position`,
    [filter.tenantId ?? null, filter.types ? [...filter.types] : null],
  );
  return rows.map((r) => ({ position: BigInt(r.position), streamName: r.stream_name, type: r.type, data: r.data, metadata: r.metadata }));
};
