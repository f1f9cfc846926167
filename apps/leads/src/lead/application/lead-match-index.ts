import { leadMatchKeyStream, newId, type EventMetadata, type LeadMatchRule, type RecordedEvent } from '@crm/contracts';
import { foldHistory, handleCommand, type Clock, type CommandOptions } from '@crm/domain';
import type { EventStore, StreamAppend } from '@crm/eventstore';
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

  /** The key streams of a tenant's keys, in the order of the keys (for one `readStreams` with other streams). */
  streamsOf(tenantId: string, keys: readonly MatchKey[]): string[] {
    return keys.map((key) => leadMatchKeyStream(tenantId, matchKeyHash(key)));
  }

  /** A key's entry from its stream as read (a stream written under another tenant reads as unclaimed). */
  entryOf(tenantId: string, key: MatchKey, history: readonly RecordedEvent[]): MatchKeyEntry {
    const { state, revision } = foldHistory(leadMatchKeyDecider, history, tenantId);
    return { key, rule: ruleOfKey(key), revision, ...state };
  }

  /**
   * The appends that point these keys at `leadId`, each at the revision read (`no_stream` for an
   * unclaimed key), decided by the key's decider; a key already pointing there needs none. For
   * one `appendToStreams` with the lead's own events: the claims and the lead are written
   * together or not at all, and a key someone claimed since it was read fails the whole call.
   */
  claims(entries: readonly MatchKeyEntry[], leadId: string, metadata: EventMetadata): StreamAppend[] {
    const now = this.clock.now();
    return entries.flatMap((entry) => {
      const decided = leadMatchKeyDecider.decide({ type: 'PointMatchKey', data: { leadId, rule: entry.rule, now } }, entry);
      if (decided.length === 0) return [];
      return [{
        streamName: leadMatchKeyStream(metadata.tenantId, matchKeyHash(entry.key)),
        events: decided.map((e) => ({ id: newId(), type: e.type, data: e.data, metadata })),
        expectedState: entry.revision === -1 ? 'no_stream' : entry.revision,
      }];
    });
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
