import {
  accountStream, contactStream, LeadConvertedData, LeadEventType, leadConversionStream, type EventMetadata, type LeadConversionRecordedData,
  type RecordedEvent,
} from '@crm/contracts';
import { handleCommand, loadAggregate, type Clock, type CommandOptions } from '@crm/domain';
import type { EventStore } from '@crm/eventstore';
import { CLOCK, EVENT_STORE } from '@crm/nest-kit';
import { currentTraceMetadata } from '@crm/observability';
import { Inject, Injectable } from '@nestjs/common';
import { readSalesSettings } from '../../settings/sales-settings.reader';
import { accountDecider } from '../domain/account.decider';
import { contactDecider } from '../domain/contact.decider';
import { CustomerError } from '../domain/customer.errors';
import { accountFromLead, accountLookup, contactFromLead, leadConversionDecider, opportunityToOpen } from '../domain/lead-conversion';
import { accountMatchKeys, contactMatchKeys, type CustomerMatchKey } from '../domain/match-keys';
import type { RecordKind } from '../domain/match-key.decider';
import { recordIdOf, resolveRecord } from './customer-records';
import { MatchKeyIndex, type IndexScope } from './match-key-index';

/** Who the records created from a conversion are attributed to (the lead event is their cause). */
export const CONVERSION_ACTOR = 'service:sales.lead-conversion';

type Outcome = { id: string; outcome: 'created' | 'linked' };
type Run = { converted: LeadConvertedData; scope: IndexScope; options: CommandOptions; now: Date };

/**
 * Sales' side of a lead conversion: for each `leads.LeadConverted`, link or create the account and
 * the contact, then record `sales.LeadConversionRecorded` on `leadconversion-<leadId>` (the leads
 * context completes the conversion from it; the pipeline feature opens the opportunity from it).
 *
 * Idempotent end to end: a recorded conversion is never recorded again; records are created under
 * the ids the lead event names, with an Idempotency-Key derived from the lead event's id; and a
 * record already created from this lead counts as `created` again, so a delivery that crashed
 * half-way completes with the same outcome on redelivery.
 */
@Injectable()
export class LeadConversionService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly index: MatchKeyIndex,
  ) {}

  /** The conversion this delivery recorded, or `undefined` when there was nothing (left) to do. */
  async handle(event: RecordedEvent): Promise<LeadConversionRecordedData | undefined> {
    if (event.type !== LeadEventType.LeadConverted) return undefined;
    // A payload that breaks the contract throws: the consumer retries it, then dead-letters it.
    const converted = LeadConvertedData.parse(event.data);
    const { tenantId } = event.metadata;
    const stream = leadConversionStream(converted.leadId);
    if ((await loadAggregate(this.store, stream, leadConversionDecider, tenantId)).state.status === 'recorded') return undefined;

    const metadata: EventMetadata = { tenantId, actor: CONVERSION_ACTOR, correlationId: event.metadata.correlationId, causationId: event.id, ...currentTraceMetadata() };
    const run: Run = { converted, scope: { tenantId, metadata }, options: { metadata, idempotencyKey: `lead-converted:${event.id}` }, now: this.clock.now() };
    const account = await this.account(run);
    const contact = await this.contact(run, account.id);
    const opportunity = converted.opportunityId ? opportunityToOpen(converted, (await readSalesSettings(this.store, tenantId)).defaultCurrency) : undefined;
    const result = await handleCommand(this.store, stream, leadConversionDecider, {
      type: 'RecordLeadConversion',
      data: {
        leadId: converted.leadId,
        accountId: account.id,
        account: account.outcome,
        contactId: contact.id,
        contact: contact.outcome,
        ...(converted.opportunityId && { opportunityId: converted.opportunityId, opportunity }),
        now: run.now,
      },
    }, run.options);
    return result.events[0]?.data;
  }

  private async account(run: Run): Promise<Outcome> {
    const { converted } = run;
    const named = await this.named(run, 'account', converted.accountId);
    if (named) return named;
    const lead = this.snapshot(converted, 'account');
    const [match] = await this.index.matches(run.scope.tenantId, 'account', accountMatchKeys(accountLookup(lead)));
    if (match) return { id: match.id, outcome: 'linked' };
    const account = accountFromLead(lead);
    return this.createOnce(run, 'account', converted.accountId, accountMatchKeys(account), () =>
      handleCommand(this.store, accountStream(converted.accountId), accountDecider, {
        type: 'CreateAccount',
        data: { accountId: converted.accountId, ...account, fromLeadId: converted.leadId, now: run.now },
      }, run.options));
  }

  private async contact(run: Run, accountId: string): Promise<Outcome> {
    const { converted } = run;
    const named = await this.named(run, 'contact', converted.contactId);
    if (named) return named;
    const contact = contactFromLead(this.snapshot(converted, 'contact'), accountId);
    const keys = contactMatchKeys(contact);
    const [match] = await this.index.matches(run.scope.tenantId, 'contact', keys);
    if (match) return { id: match.id, outcome: 'linked' };
    return this.createOnce(run, 'contact', converted.contactId, keys, () =>
      handleCommand(this.store, contactStream(converted.contactId), contactDecider, {
        type: 'CreateContact',
        data: { contactId: converted.contactId, ...contact, fromLeadId: converted.leadId, now: run.now },
      }, run.options));
  }

  /**
   * The record the lead event names, when it exists (followed to its survivor if merged): `created`
   * when this lead created it (an earlier, interrupted delivery), else `linked` (the converter chose
   * an existing record).
   */
  private async named(run: Run, kind: RecordKind, id: string): Promise<Outcome | undefined> {
    const record = await resolveRecord(this.store, run.scope.tenantId, kind, id);
    if (!record) return undefined;
    const resolvedId = recordIdOf(kind, record);
    const fromThisLead = resolvedId === id && record.fromLeadId === run.converted.leadId;
    return { id: resolvedId, outcome: fromThisLead ? 'created' : 'linked' };
  }

  /** Claims the keys for the new record, then creates it; losing a key to a concurrent create links to the winner instead. */
  private async createOnce(run: Run, kind: RecordKind, id: string, keys: CustomerMatchKey[], create: () => Promise<unknown>): Promise<Outcome> {
    try {
      await this.index.claimAll(run.scope, kind, keys, id, 'created');
    } catch (error) {
      if (error instanceof CustomerError && (error.code === 'duplicate_account' || error.code === 'duplicate_contact')) {
        return { id: String(error.details?.existingId), outcome: 'linked' };
      }
      throw error;
    }
    await create();
    return { id, outcome: 'created' };
  }

  private snapshot(converted: LeadConvertedData, kind: RecordKind) {
    if (!converted.lead) {
      throw new Error(`lead ${converted.leadId}: LeadConverted carries no lead snapshot, and the ${kind} it names does not exist`);
    }
    return converted.lead;
  }
}
