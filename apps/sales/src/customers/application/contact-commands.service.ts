import { contactStream, idFromKey, newId, type ContactEvent, type ContactRecapturedData, type EventMetadata, type RecordedEvent } from '@crm/contracts';
import { foldHistory, handleCommand, loadAggregate, type Clock, type CommandResult } from '@crm/domain';
import type { EventStore } from '@crm/eventstore';
import { commandMetadata, commandOptions, CLOCK, EVENT_STORE, type RequestContext } from '@crm/nest-kit';
import { Inject, Injectable } from '@nestjs/common';
import type { ContactCommand } from '../domain/contact.commands';
import { contactDecider, type ContactState, type ExistingContact } from '../domain/contact.decider';
import { CustomerError } from '../domain/customer.errors';
import { contactMatchKeys, keyChanges } from '../domain/match-keys';
import { applyChanges } from '../domain/profile-changes';
import type { CheckContactDuplicatesBody, CreateContactBody, UpdateContactBody } from '../http/contact.dto';
import { loadRecord, MAX_MERGE_HOPS } from './customer-records';
import { MatchKeyIndex, type IndexScope } from './match-key-index';
import { mergeRecords, type MergeSpec } from './record-merge';

type Result = CommandResult<ContactEvent, ContactState>;

/** Who engagements recorded from leads' captures are attributed to. */
export const CONTACT_RECAPTURES_ACTOR = 'service:sales.contact-recaptures';

const MERGE: MergeSpec<ContactCommand, ContactEvent, ContactState> = {
  kind: 'contact',
  decider: contactDecider,
  stream: contactStream,
  mergeInto: (data) => ({ type: 'MergeContactInto', data }),
  absorb: (data) => ({ type: 'AbsorbContact', data }),
};

@Injectable()
export class ContactCommandsService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly index: MatchKeyIndex,
  ) {}

  /** Like an account create: keys first, then `ContactCreated`; the account it names must exist and not be merged (422). */
  async create(ctx: RequestContext, { onDuplicate, ...profile }: CreateContactBody): Promise<Result & { contactId: string }> {
    const contactId = ctx.idempotencyKey ? idFromKey(ctx.tenantId, 'contact', ctx.idempotencyKey) : newId();
    const alreadyCreated = ctx.idempotencyKey !== undefined && (await loadRecord(this.store, ctx.tenantId, 'contact', contactId)) !== undefined;
    if (!alreadyCreated) {
      await this.checkAccount(ctx, profile.accountId);
      const keys = contactMatchKeys(profile);
      if (onDuplicate === 'create') await this.index.claimFree(this.scope(ctx), 'contact', keys, contactId, 'created');
      else await this.index.claimAll(this.scope(ctx), 'contact', keys, contactId, 'created');
    }
    const result = await this.run(ctx, contactId, { type: 'CreateContact', data: { contactId, ...profile, now: this.clock.now() } });
    return { ...result, contactId };
  }

  async update(ctx: RequestContext, contactId: string, { onDuplicate, ...changes }: UpdateContactBody): Promise<Result> {
    const { state } = await this.get(ctx, contactId);
    const before = contactMatchKeys(state);
    if (state.status === 'active') {
      if (changes.accountId) await this.checkAccount(ctx, changes.accountId);
      if (onDuplicate === 'reject') {
        await this.index.assertFree(ctx.tenantId, 'contact', keyChanges(before, contactMatchKeys(applyChanges(state, changes))).added, contactId);
      }
    }
    const result = await this.run(ctx, contactId, { type: 'UpdateContact', data: { contactId, changes, now: this.clock.now() } });
    const after = contactMatchKeys(result.state as ExistingContact);
    await this.index.claimFree(this.scope(ctx), 'contact', after, contactId, 'updated');
    await this.index.release(this.scope(ctx), 'contact', keyChanges(before, after).removed, contactId);
    return result;
  }

  merge(ctx: RequestContext, survivorId: string, mergedId: string): Promise<Result> {
    return mergeRecords(this.store, MERGE, ctx, survivorId, mergedId, this.clock.now());
  }

  /**
   * A capture in leads matched this contact (`leads.ContactRecaptured`): note it as
   * `ContactEngaged`, on the survivor when the contact was merged. Carries the Idempotency-Key
   * `contact-recaptured:<leads event id>`; a redelivery finds it on the contact or on a survivor
   * along the merge chain and appends nothing. `undefined` when the contact does not exist (for
   * this tenant).
   */
  async recordEngagement(data: ContactRecapturedData, cause: Pick<RecordedEvent, 'id' | 'metadata'>): Promise<Result | undefined> {
    const { tenantId } = cause.metadata;
    const idempotencyKey = `contact-recaptured:${cause.id}`;
    const metadata: EventMetadata = { tenantId, actor: CONTACT_RECAPTURES_ACTOR, correlationId: cause.metadata.correlationId, causationId: cause.id };
    const { channel, campaignId, utm, formId } = data.source;
    let contactId = data.contactId;
    for (let hop = 0; hop <= MAX_MERGE_HOPS; hop++) {
      const history = await this.store.readStream(contactStream(contactId));
      const { state, revision } = foldHistory(contactDecider, history, tenantId);
      if (revision === -1) return undefined;
      const noted = history.some((e) => e.metadata.idempotencyKey === idempotencyKey);
      if (noted || state.status !== 'merged') {
        try {
          return await handleCommand(this.store, contactStream(contactId), contactDecider, {
            type: 'RecordContactEngagement',
            data: {
              contactId, channel, ...(campaignId !== undefined && { campaignId }), ...(utm !== undefined && { utm }), ...(formId !== undefined && { formId }),
              captureId: data.captureId, at: data.capturedAt, now: this.clock.now(),
            },
          }, { metadata, idempotencyKey });
        } catch (error) {
          // Merged between the read and the append: read again and follow it to the survivor.
          if (error instanceof CustomerError && error.code === 'contact_merged') continue;
          throw error;
        }
      }
      contactId = state.mergedInto!;
    }
    return undefined;
  }

  duplicates(ctx: RequestContext, profile: CheckContactDuplicatesBody) {
    return this.index.matches(ctx.tenantId, 'contact', contactMatchKeys(profile));
  }

  async get(ctx: RequestContext, contactId: string): Promise<{ state: ExistingContact; revision: number }> {
    const { state, revision } = await loadAggregate(this.store, contactStream(contactId), contactDecider, ctx.tenantId);
    if (state.status === 'none') throw new CustomerError('contact_not_found', `contact ${contactId} does not exist`);
    return { state, revision };
  }

  /** A contact belongs to an existing, unmerged account of the tenant. */
  private async checkAccount(ctx: RequestContext, accountId: string | undefined): Promise<void> {
    if (accountId === undefined) return;
    const account = await loadRecord(this.store, ctx.tenantId, 'account', accountId);
    if (!account) throw new CustomerError('unknown_account', `account ${accountId} does not exist`, { accountId });
    if (account.status === 'merged') {
      throw new CustomerError('account_merged', `account ${accountId} was merged into ${account.mergedInto}`, { survivorId: account.mergedInto });
    }
  }

  private scope(ctx: RequestContext): IndexScope {
    return { tenantId: ctx.tenantId, metadata: commandMetadata(ctx) };
  }

  private run(ctx: RequestContext, contactId: string, command: ContactCommand): Promise<Result> {
    return handleCommand(this.store, contactStream(contactId), contactDecider, command, commandOptions(ctx));
  }
}
