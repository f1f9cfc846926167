import type { DeadLetter } from '../consumer.port';
import type { DeadLetterStore, ListDeadLettersOptions } from '../dead-letter-store.port';

/** Dead letters in process memory: tests and tooling. */
export class InMemoryDeadLetterStore implements DeadLetterStore {
  private readonly letters = new Map<string, DeadLetter>();

  async record(deadLetter: DeadLetter): Promise<void> {
    const key = `${deadLetter.consumer}\u0000${deadLetter.source}\u0000${deadLetter.event.id}`;
    this.letters.delete(key);
    this.letters.set(key, structuredClone(deadLetter));
  }

  async list(consumer: string, options: ListDeadLettersOptions = {}): Promise<DeadLetter[]> {
    return [...this.letters.values()]
      .filter((d) => d.consumer === consumer && (options.source === undefined || d.source === options.source))
      .slice(0, options.limit ?? 1000)
      .map((d) => structuredClone(d));
  }
}
