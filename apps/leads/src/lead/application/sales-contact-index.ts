import {
  ContactCreatedData, ContactUpdatedData, contactKeyStream, RecordMergedIntoData, SalesCustomerEventType, salesContactStream,
  type ContactMatchRule, type EventMetadata, type RecordedEvent,
} from '@crm/contracts';
import { foldHistory, handleCommand, loadAggregate, type Clock } from '@crm/domain';
import type { EventStore } from '@crm/eventstore';
import { matchKeys, ruleOfKey, type MatchKey } from '@crm/identity';
import { contactKeyDecider, salesContactDecider, type IndexSalesContact, type SalesContactState } from '../domain/contact-index.decider';
import { matchKeyHash } from './lead-match-index';

/** Who the index's events are attributed to. */
export const CONTACT_INDEX_ACTOR = 'service:leads.contact-index';

/** The sales events the index follows. */
export const CONTACT_INDEX_EVENT_TYPES = [
  SalesCustomerEventType.ContactCreated, SalesCustomerEventType.ContactUpdated, SalesCustomerEventType.ContactMergedInto,
] as const;

/** A merge chain longer than this is a cycle (two opposite merges raced in sales) and is not followed. */
const MAX_MERGE_HOPS = 8;

const RULES = ['email', 'phone'] as const satisfies readonly ContactMatchRule[];

/** The hash of a value's match key under one rule, or `null` when the value is cleared or does not normalise. */
const keyHash = (rule: ContactMatchRule, value: string | null | undefined): string | null => {
  const [key] = matchKeys(rule === 'email' ? { email: value } : { phone: value });
  return key === undefined ? null : matchKeyHash(key);
};

/** A capture's match on a sales contact: the contact it stands for now (merges followed) and the rule. */
export type ContactMatch = { contactId: string; rule: ContactMatchRule };

/**
 * Leads' index of the sales contacts' e-mail and phone keys, in the leads event store: one entry
 * per contact (`salescontact-<contactId>`: its key hashes, its survivor once merged, the sales
 * revision applied) and one stream per key (`contactref-<tenant>-<hash>`: the contacts holding it).
 * Fed by the `leads.contact-index` consumer; read by every capture.
 */
export class SalesContactIndex {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
  ) {}

  /**
   * Applies one sales contact event. The key streams are written first and the contact's entry
   * last, so a crash in between is repaired by the redelivery (the entry still names the old
   * revision, every step is idempotent). A capture trusts a key stream only as far as the
   * contact's entry confirms it, so a key pointed before its entry is written is not matched yet.
   */
  async apply(event: RecordedEvent): Promise<void> {
    const command = this.commandFor(event);
    if (!command) return;
    const tenantId = event.metadata.tenantId;
    const metadata: EventMetadata = { tenantId, actor: CONTACT_INDEX_ACTOR, correlationId: event.metadata.correlationId, causationId: event.id };
    const stream = salesContactStream(command.data.contactId);
    const { state } = await loadAggregate(this.store, stream, salesContactDecider, tenantId);
    const decided = salesContactDecider.decide(command, state);
    if (decided.length === 0) return;
    const next = decided.reduce(salesContactDecider.evolve, state);
    const { contactId } = command.data;
    const now = command.data.now;
    for (const rule of RULES) {
      const before = state.keys[rule];
      const after = next.keys[rule];
      if (before === after) continue;
      if (after !== undefined) {
        await handleCommand(this.store, contactKeyStream(tenantId, after), contactKeyDecider, { type: 'PointContactKey', data: { contactId, rule, now } }, { metadata });
      }
      if (before !== undefined) {
        await handleCommand(this.store, contactKeyStream(tenantId, before), contactKeyDecider, { type: 'ReleaseContactKey', data: { contactId, rule, now } }, { metadata });
      }
    }
    await handleCommand(this.store, stream, salesContactDecider, command, { metadata });
  }

  /** The contact keys a capture looks up: e-mail and phone (the company + name key is not indexed for contacts). */
  private contactKeys(keys: readonly MatchKey[]): MatchKey[] {
    return keys.filter((key) => ruleOfKey(key) !== 'company_and_name');
  }

  /** The key streams of `contactKeys`, in their order (for one `readStreams` with other streams). */
  streamsOf(tenantId: string, keys: readonly MatchKey[]): string[] {
    return this.contactKeys(keys).map((key) => contactKeyStream(tenantId, matchKeyHash(key)));
  }

  /**
   * The contact a person with these keys is, strongest rule first (e-mail, then phone), from the
   * key streams already read (`histories`, in the order of `streamsOf`). Of several contacts
   * holding one key the oldest wins; a merged contact stands for its survivor. Nothing more is
   * read unless a key has holders (then their entries, to confirm them).
   */
  async match(tenantId: string, keys: readonly MatchKey[], histories: readonly RecordedEvent[][]): Promise<ContactMatch | undefined> {
    const contactKeys = this.contactKeys(keys);
    for (const [i, key] of contactKeys.entries()) {
      const rule = ruleOfKey(key) as ContactMatchRule;
      const hash = matchKeyHash(key);
      const { state } = foldHistory(contactKeyDecider, histories[i], tenantId);
      for (const holder of state.contactIds) {
        const entry = await this.entry(tenantId, holder);
        // The entry is the truth: a key it does not (or not yet) hold is no match.
        if (entry.keys[rule] !== hash) continue;
        const contactId = await this.survivorOf(tenantId, holder, entry);
        if (contactId !== undefined) return { contactId, rule };
      }
    }
    return undefined;
  }

  private async survivorOf(tenantId: string, contactId: string, entry: SalesContactState): Promise<string | undefined> {
    let id = contactId;
    let current = entry;
    for (let hop = 0; hop < MAX_MERGE_HOPS; hop++) {
      if (current.contactId === undefined) return undefined;
      if (current.mergedInto === undefined) return id;
      id = current.mergedInto;
      current = await this.entry(tenantId, id);
    }
    return undefined;
  }

  private async entry(tenantId: string, contactId: string): Promise<SalesContactState> {
    return (await loadAggregate(this.store, salesContactStream(contactId), salesContactDecider, tenantId)).state;
  }

  private commandFor(event: RecordedEvent): IndexSalesContact | undefined {
    const base = { salesRevision: event.revision, now: this.clock.now() };
    switch (event.type) {
      case SalesCustomerEventType.ContactCreated: {
        const data = ContactCreatedData.parse(event.data);
        return { type: 'IndexSalesContact', data: { ...base, contactId: data.contactId, keys: { email: keyHash('email', data.email), phone: keyHash('phone', data.phone) } } };
      }
      case SalesCustomerEventType.ContactUpdated: {
        const { contactId, changes } = ContactUpdatedData.parse(event.data);
        const keys = Object.fromEntries(RULES.filter((rule) => changes[rule] !== undefined).map((rule) => [rule, keyHash(rule, changes[rule])]));
        return { type: 'IndexSalesContact', data: { ...base, contactId, keys } };
      }
      case SalesCustomerEventType.ContactMergedInto: {
        const { mergedId, survivorId } = RecordMergedIntoData.parse(event.data);
        return { type: 'IndexSalesContact', data: { ...base, contactId: mergedId, mergedInto: survivorId } };
      }
      default:
        return undefined;
    }
  }
}
