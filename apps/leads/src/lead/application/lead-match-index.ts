import { leadMatchKeyStream, type LeadMatchRule } from '@crm/contracts';
import { handleCommand, loadAggregate, type Clock, type CommandOptions } from '@crm/domain';
import type { EventStore } from '@crm/eventstore';
import { ruleOfKey, type MatchKey } from '@crm/identity';
import { createHash } from 'node:crypto';
import { leadMatchKeyDecider, type LeadMatchKeyState } from '../domain/lead-match-key.decider';

/** One match key as read: the lead it belongs to (if any) and the key stream's revision (-1: unclaimed). */
export type MatchKeyEntry = { key: MatchKey; rule: LeadMatchRule; revision: number } & LeadMatchKeyState;

/** The hex SHA-256 a key stream is named by (the key itself, an e-mail or phone, is never stored). */
export const matchKeyHash = (key: MatchKey): string => createHash('sha256').update(key).digest('hex');

/**
 * The de-duplication index of a tenant's leads in the event store: one small stream per match
 * key, `leadkey-<tenant>-<sha256 of the key>`, naming the lead that owns the key. Writes are
 * appends at the revision read (`-1`: the stream must not exist yet), so of two captures racing
 * for one key exactly one wins and the other re-reads.
 */
export class LeadMatchIndex {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
  ) {}

  async read(tenantId: string, key: MatchKey): Promise<MatchKeyEntry> {
    const { state, revision } = await loadAggregate(this.store, leadMatchKeyStream(tenantId, matchKeyHash(key)), leadMatchKeyDecider, tenantId);
    return { key, rule: ruleOfKey(key), revision, ...state };
  }

  readAll(tenantId: string, keys: readonly MatchKey[]): Promise<MatchKeyEntry[]> {
    return Promise.all(keys.map((key) => this.read(tenantId, key)));
  }

  /** Points the key at `leadId` if it is still at the revision read; a concurrent write is a `concurrency_conflict`. */
  async point(entry: MatchKeyEntry, leadId: string, options: CommandOptions): Promise<void> {
    await handleCommand(
      this.store,
      leadMatchKeyStream(options.metadata.tenantId, matchKeyHash(entry.key)),
      leadMatchKeyDecider,
      { type: 'PointMatchKey', data: { leadId, rule: entry.rule, now: this.clock.now() } },
      { metadata: options.metadata, expectedRevision: entry.revision },
    );
  }
}
