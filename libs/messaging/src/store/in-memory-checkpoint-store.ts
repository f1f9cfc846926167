import type { CheckpointStore } from '../checkpoint-store.port';
import type { SourceContext } from '../consumer.port';

/** Checkpoints in process memory: tests and tooling. */
export class InMemoryCheckpointStore implements CheckpointStore {
  private readonly positions = new Map<string, bigint>();

  async load(name: string, source: SourceContext): Promise<bigint | undefined> {
    return this.positions.get(`${name}\u0000${source}`);
  }

  async save(name: string, source: SourceContext, position: bigint): Promise<void> {
    this.positions.set(`${name}\u0000${source}`, position);
  }
}
