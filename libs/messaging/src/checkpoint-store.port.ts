import type { SourceContext } from './consumer.port';

/**
 * Durable progress of a consumer (or a relay) per source: the `$all` position of the last
 * event it finished with. Adapters: in-memory and PostgreSQL.
 */
export type CheckpointStore = {
  /** The saved position, or undefined when the consumer has never saved one for this source. */
  load(name: string, source: SourceContext): Promise<bigint | undefined>;
  save(name: string, source: SourceContext, position: bigint): Promise<void>;
};
