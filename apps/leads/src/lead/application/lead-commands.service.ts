import {
  contactCaptureStream, idFromKey, leadStream, newId, repLeadsStream, type ContactCaptureEvent, type DomainEvent, type EventMetadata, type LeadConversionRecordedData,
  type LeadEvent, type RecordedEvent,
} from '@crm/contracts';
import {
  ConcurrencyConflictError, DomainError, foldHistory, handleCommand, loadAggregate, TooMuchContentionError, type Clock, type CommandOptions, type CommandResult,
} from '@crm/domain';
import { WrongExpectedVersionError, type EventStore } from '@crm/eventstore';
import { matchKeys } from '@crm/identity';
import { CLOCK, commandMetadata, commandOptions, EVENT_STORE, TIMER_STORE, type RequestContext } from '@crm/nest-kit';
import type { TimerStore } from '@crm/scheduler';
import { Inject, Injectable } from '@nestjs/common';
import { returnToPoolTimerId } from '../../assignment/application/assignment.service';
import { repLeadsDecider } from '../../assignment/domain/rep-leads.decider';
import { contactCaptureDecider, type ContactCaptureState } from '../domain/contact-capture.decider';
import type { CaptureLead, LeadCommand, TouchpointInput } from '../domain/lead.commands';
import { leadDecider, leadMatchKeys, type LeadState } from '../domain/lead.decider';
import { LeadError } from '../domain/lead.errors';
import type {
  CaptureLeadBody, ConvertLeadBody, DisqualifyLeadBody, MergeLeadsBody, QualifyLeadBody, TouchpointBatchBody, TouchpointResult, UpdateLeadBody, WebFormSubmission,
} from '../http/lead.dto';
import { LeadMatchIndex, type MatchKeyEntry } from './lead-match-index';
import { SalesContactIndex, type ContactMatch } from './sales-contact-index';

type LeadResult = CommandResult<LeadEvent, LeadState>;
type ExistingLead = Exclude<LeadState, { status: 'none' }>;

/** A capture's outcome on a lead: the lead it created, or the open lead it attached to (`attached`). */
export type LeadCaptureResult = LeadResult & { leadId: string; attached: boolean; contactId?: undefined };
/** A capture that matched a sales contact (and no open lead): recorded against the contact, no lead. */
export type ContactCaptureResult = CommandResult<ContactCaptureEvent, ContactCaptureState> & { contactId: string; attached: true; leadId?: undefined };
export type CaptureResult = LeadCaptureResult | ContactCaptureResult;

/** Who events appended on sales' behalf are attributed to. */
export const CONVERSION_CONFIRMATION_ACTOR = 'service:leads.conversion-confirmation';

/** Re-reads of the match keys one capture may need when it races other captures of the same person. */
const MAX_CAPTURE_ATTEMPTS = 20;
/** A key claimed for a lead that was never written is given up after this long (its capture crashed). */
const PENDING_CLAIM_MS = 30_000;
/** Re-reads of a merge whose leads or keys were written by someone else between its read and its append. */
const MAX_MERGE_ATTEMPTS = 10;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The metadata of events appended outside `handleCommand`, with the Idempotency-Key stored as `handleCommand` stores it (a retry finds it). */
const appendMetadata = (options: CommandOptions): EventMetadata =>
  options.idempotencyKey === undefined ? options.metadata : { ...options.metadata, idempotencyKey: options.idempotencyKey };

/** Decided events as appended by hand: each with a fresh id. */
const toAppend = (events: readonly DomainEvent[], metadata: EventMetadata) => events.map((e) => ({ id: newId(), type: e.type, data: e.data, metadata }));

/** The lead a key's owner stands for now: merged leads redirect to their survivor. */
type KeyOwner = { kind: 'open'; leadId: string } | { kind: 'closed' } | { kind: 'missing' };

@Injectable()
export class LeadCommandsService {
  private readonly index: LeadMatchIndex;
  private readonly contacts: SalesContactIndex;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(TIMER_STORE) private readonly timers: TimerStore,
  ) {
    this.index = new LeadMatchIndex(store, clock);
    this.contacts = new SalesContactIndex(store, clock);
  }

  capture(ctx: RequestContext, body: CaptureLeadBody): Promise<CaptureResult> {
    const { channel, utm, campaignId, referrer, consentPurposes, ...person } = body;
    const now = this.clock.now();
    return this.captureLead(ctx, {
      ...person,
      source: { channel, ...(utm && { utm }), ...(campaignId && { campaignId }), ...(referrer && { referrer }) },
      consents: consentPurposes?.map((purpose) => ({ purpose, grantedAt: now.toISOString(), source: channel })),
      now,
    });
  }

  /** A public web-form post; the caller has already dropped honeypot hits. */
  captureFromWebForm(ctx: RequestContext, formId: string, form: WebFormSubmission, referrerHeader?: string): Promise<CaptureResult> {
    const now = this.clock.now();
    const utm = { source: form.utm_source, medium: form.utm_medium, campaign: form.utm_campaign, term: form.utm_term, content: form.utm_content };
    const hasUtm = Object.values(utm).some((v) => v !== undefined);
    const referrer = form.referrer ?? referrerHeader;
    const keyed = form.submission_id ? { ...ctx, idempotencyKey: ctx.idempotencyKey ?? `form:${formId}:${form.submission_id}` } : ctx;
    return this.captureLead(keyed, {
      name: form.name,
      ...(form.company && { company: form.company }),
      ...(form.email && { email: form.email }),
      ...(form.phone && { phone: form.phone }),
      source: {
        channel: 'web_form',
        formId,
        ...(hasUtm && { utm: Object.fromEntries(Object.entries(utm).filter(([, v]) => v !== undefined)) }),
        ...(form.campaign && { campaignId: form.campaign }),
        ...(referrer && { referrer }),
      },
      consents: form.consent ? [{ purpose: form.consent_purpose ?? 'marketing', grantedAt: now.toISOString(), source: `web_form:${formId}` }] : undefined,
      now,
    });
  }

  /**
   * Every capture (API, web form, import) comes through here. A person who matches an open
   * lead (same e-mail, else phone, else folded company + person name) is attached to it with
   * `LeadRecaptured`. A person who matches no open lead but a sales contact (same e-mail, else
   * phone) is no new lead: the capture is recorded against the contact (`ContactRecaptured`).
   * Lead matches win over contact matches. Otherwise the capture claims every match key of the
   * person for the new lead and creates it in ONE atomic `appendToStreams`, each key at the
   * revision read (`no_stream` for an unclaimed key) and the lead stream as `no_stream`.
   *
   * The common case (a new person) is two round trips and one commit: one `readStreams` of every
   * key stream (lead keys, contact keys, and with an Idempotency-Key the streams a first attempt
   * would have written), then that append. Of two concurrent captures of one person the append
   * of exactly one succeeds; the other's fails as a whole (nothing written), re-reads, sees the
   * claim, and attaches to the lead written with it.
   */
  private async captureLead(ctx: RequestContext, data: Omit<CaptureLead['data'], 'leadId'>): Promise<CaptureResult> {
    // A retried capture with the same Idempotency-Key addresses the same lead.
    const leadId = ctx.idempotencyKey ? idFromKey(ctx.tenantId, 'lead', ctx.idempotencyKey) : newId();
    // An If-Match names a revision of an existing stream; a capture addresses none the caller could know.
    const options: CommandOptions = { ...commandOptions(ctx), expectedRevision: undefined };
    // A capture recorded against a contact has its own id, from the same key.
    const captureId = ctx.idempotencyKey ? idFromKey(ctx.tenantId, 'contact-capture', ctx.idempotencyKey) : newId();
    const keys = matchKeys({ email: data.email, phone: data.phone, companyName: data.company, personName: data.name });
    // Without an Idempotency-Key the ids are fresh: nothing of a first attempt can exist.
    const replayStreams = ctx.idempotencyKey ? [leadStream(leadId), contactCaptureStream(captureId)] : [];
    const leadKeyStreams = this.index.streamsOf(ctx.tenantId, keys);
    const contactKeyStreams = this.contacts.streamsOf(ctx.tenantId, keys);

    for (let attempt = 0; attempt < MAX_CAPTURE_ATTEMPTS; attempt++) {
      const read = await this.store.readStreams([...replayStreams, ...leadKeyStreams, ...contactKeyStreams]);
      if (ctx.idempotencyKey) {
        // A retry replays what the first attempt did: the created lead, or the contact capture.
        if (foldHistory(leadDecider, read[0], ctx.tenantId).revision >= 0) return this.createLead(leadId, data, options);
        const { state: capture } = foldHistory(contactCaptureDecider, read[1], ctx.tenantId);
        if (capture.status === 'recorded') return this.attachToContact(captureId, { contactId: capture.contactId, rule: capture.matchedOn }, data, options);
      }
      const entries = keys.map((key, i) => this.index.entryOf(ctx.tenantId, key, read[replayStreams.length + i]));
      const takeable: MatchKeyEntry[] = [];
      let target: { leadId: string; entry: MatchKeyEntry } | undefined;
      let pending = false;
      // Several keys usually name the same lead: its stream is read once per attempt.
      const owners = new Map<string, Promise<KeyOwner>>();
      for (const entry of entries) {
        if (entry.leadId === undefined || entry.leadId === leadId) {
          takeable.push(entry);
          continue;
        }
        if (!owners.has(entry.leadId)) owners.set(entry.leadId, this.keyOwner(ctx.tenantId, entry.leadId));
        const owner = await owners.get(entry.leadId)!;
        if (owner.kind === 'open') {
          target ??= { leadId: owner.leadId, entry };
          if (owner.leadId === target.leadId && owner.leadId !== entry.leadId) takeable.push(entry);
        } else if (owner.kind === 'missing' && this.clock.now().getTime() - Date.parse(entry.pointedAt ?? '') < PENDING_CLAIM_MS) {
          // Claims are written with their lead now; a claim without one is from a capture that crashed
          // under the earlier claim-then-create scheme (or one racing us still): wait, then take it over.
          pending = true;
        } else {
          takeable.push(entry);
        }
      }
      if (target) {
        const attached = await this.attach(ctx, target.leadId, target.entry, data, options);
        if (!attached) continue;
        await this.pointAll(takeable, target.leadId, options);
        return attached;
      }
      if (pending) {
        await pause(10 + Math.random() * 40);
        continue;
      }
      const contact = await this.contacts.match(ctx.tenantId, keys, read.slice(replayStreams.length + keys.length));
      if (contact) return this.attachToContact(captureId, contact, data, options);
      try {
        return await this.claimAndCreate(leadId, data, takeable, options);
      } catch (error) {
        // A key claimed (or, on a concurrent retry, the lead created) since the read: look again.
        if (error instanceof WrongExpectedVersionError) continue;
        throw error;
      }
    }
    throw new TooMuchContentionError(`leadkey-${ctx.tenantId}`, MAX_CAPTURE_ATTEMPTS);
  }

  /**
   * Claims the keys and creates the lead in one atomic append: the pure deciders decide the
   * events (the lead's `CaptureLead` on a stream that must not exist, each key's
   * `PointMatchKey` at the revision read). The create carries the Idempotency-Key in its
   * metadata, as `handleCommand` stores it, so a retry replays it through `createLead`.
   */
  private async claimAndCreate(
    leadId: string, data: Omit<CaptureLead['data'], 'leadId'>, entries: readonly MatchKeyEntry[], options: CommandOptions,
  ): Promise<LeadCaptureResult> {
    const initial = leadDecider.initialState();
    const decided = leadDecider.decide({ type: 'CaptureLead', data: { leadId, ...data } }, initial);
    const leadEvents = toAppend(decided, appendMetadata(options));
    await this.store.appendToStreams([
      ...this.index.claims(entries, leadId, options.metadata),
      { streamName: leadStream(leadId), events: leadEvents, expectedState: 'no_stream' },
    ]);
    return {
      state: decided.reduce(leadDecider.evolve, initial),
      events: decided.map((e, i) => ({ ...e, id: leadEvents[i].id, revision: i })),
      revision: decided.length - 1,
      replayed: false,
      leadId,
      attached: false,
    };
  }

  /** The create through `handleCommand`: on a retry with the same Idempotency-Key it replays the first answer. */
  private async createLead(leadId: string, data: Omit<CaptureLead['data'], 'leadId'>, options: CommandOptions): Promise<LeadCaptureResult> {
    return { ...(await handleCommand(this.store, leadStream(leadId), leadDecider, { type: 'CaptureLead', data: { leadId, ...data } }, options)), leadId, attached: false };
  }

  /** Appends the recapture on the matched lead; `undefined` when that lead closed or was merged meanwhile (look again). */
  private async attach(
    ctx: RequestContext, leadId: string, entry: MatchKeyEntry, data: Omit<CaptureLead['data'], 'leadId'>, options: CommandOptions,
  ): Promise<CaptureResult | undefined> {
    try {
      const result = await handleCommand(this.store, leadStream(leadId), leadDecider, { type: 'RecaptureLead', data: { ...data, leadId, matchedOn: entry.rule } }, options);
      // A replayed create (its key was recorded on this stream by a capture) is no attachment.
      return { ...result, leadId, attached: !result.events.some((e) => e.type === 'leads.LeadCaptured') };
    } catch (error) {
      if (error instanceof LeadError && (error.code === 'lead_closed' || error.code === 'lead_merged')) return undefined;
      throw error;
    }
  }

  /** Records the capture against the contact it matched; a retry with the same Idempotency-Key replays it. */
  private async attachToContact(
    captureId: string, match: ContactMatch, data: Omit<CaptureLead['data'], 'leadId'>, options: CommandOptions,
  ): Promise<ContactCaptureResult> {
    const result = await handleCommand(this.store, contactCaptureStream(captureId), contactCaptureDecider,
      { type: 'RecordContactCapture', data: { ...data, captureId, contactId: match.contactId, matchedOn: match.rule } }, options);
    return { ...result, contactId: result.state.status === 'recorded' ? result.state.contactId : match.contactId, attached: true };
  }

  /** Points keys at a lead, best effort: a key someone else just took is theirs. */
  private async pointAll(entries: readonly MatchKeyEntry[], leadId: string, options: CommandOptions): Promise<void> {
    for (const entry of entries) {
      await this.index.point(entry, leadId, { metadata: options.metadata }).catch((error: unknown) => {
        if (!(error instanceof ConcurrencyConflictError)) throw error;
      });
    }
  }

  private async keyOwner(tenantId: string, leadId: string): Promise<KeyOwner> {
    let id = leadId;
    for (let hops = 0; hops < 10; hops++) {
      const { state } = await loadAggregate(this.store, leadStream(id), leadDecider, tenantId);
      if (state.status === 'none') return { kind: 'missing' };
      if (state.mergedInto !== undefined) {
        id = state.mergedInto;
        continue;
      }
      return state.status === 'converted' || state.status === 'disqualified' ? { kind: 'closed' } : { kind: 'open', leadId: id };
    }
    return { kind: 'closed' };
  }

  qualify(ctx: RequestContext, leadId: string, body: QualifyLeadBody) {
    return this.run(ctx, leadId, { type: 'QualifyLead', data: { leadId, qualifiedBy: ctx.actor, ...body, now: this.clock.now() } });
  }

  updateAttributes(ctx: RequestContext, leadId: string, body: UpdateLeadBody) {
    return this.run(ctx, leadId, { type: 'UpdateLeadAttributes', data: { leadId, changes: body, now: this.clock.now() } });
  }

  async disqualify(ctx: RequestContext, leadId: string, body: DisqualifyLeadBody) {
    const result = await this.run(ctx, leadId, { type: 'DisqualifyLead', data: { leadId, reason: body.reason, now: this.clock.now() } });
    await this.releaseOwner(ctx, result.state);
    return result;
  }

  async convert(ctx: RequestContext, leadId: string, body: ConvertLeadBody) {
    // Ids of what sales creates are derived from the lead, so a retried conversion names the same records.
    const accountId = body.accountId ?? idFromKey(ctx.tenantId, 'lead-account', leadId);
    const contactId = body.contactId ?? idFromKey(ctx.tenantId, 'lead-contact', leadId);
    const opportunityId = body.createOpportunity ? idFromKey(ctx.tenantId, 'lead-opportunity', leadId) : undefined;
    const hints = body.opportunity;
    const opportunity = hints && {
      ...(hints.name !== undefined && { name: hints.name }),
      ...(hints.amount !== undefined && { amountMinor: hints.amount.amountMinor, currency: hints.amount.currency }),
      ...(hints.expectedCloseDate !== undefined && { expectedCloseDate: hints.expectedCloseDate }),
    };
    const result = await this.run(ctx, leadId, {
      type: 'ConvertLead',
      data: { leadId, accountId, contactId, opportunityId, ...(opportunity && { opportunity }), convertedBy: ctx.actor, now: this.clock.now() },
    });
    await this.releaseOwner(ctx, result.state);
    return result;
  }

  /**
   * Merges `mergedId` into `survivorId` in ONE atomic `appendToStreams`: `LeadMergedInto` on the
   * loser, `LeadsMerged` on the survivor and the loser's match keys pointed at the survivor, each
   * stream at the revision just read, so they are written together or not at all. The pure
   * deciders decide, the survivor first (a refused merge names the survivor's rule before the
   * loser's). Two merges of one pair in opposite directions expect the same revisions of both
   * leads: exactly one append succeeds, the other re-reads and is refused (`lead_merged`, or 409
   * when its If-Match no longer holds). The Idempotency-Key is stored in both leads' events, as
   * `handleCommand` stores it, so a retry finds it on the survivor and replays. The loser's rep
   * slot and return-to-pool timer live elsewhere: they are freed after the append, idempotently,
   * so a retry after a crash in between frees them.
   */
  async merge(ctx: RequestContext, survivorId: string, body: MergeLeadsBody): Promise<LeadResult> {
    const options = commandOptions(ctx);
    const { mergedId } = body;
    const survivorStream = leadStream(survivorId);
    const loserStream = leadStream(mergedId);
    const metadata = appendMetadata(options);
    // The loser's key streams are known once the loser is read; a re-read reads them with the leads.
    let keyStreams: string[] = [];
    for (let attempt = 0; attempt < MAX_MERGE_ATTEMPTS; attempt++) {
      if (attempt > 0) await pause(Math.random() * Math.min(100, 2 ** attempt * 5));
      const read = await this.readMany([survivorStream, loserStream, ...keyStreams]);
      const { state: survivor, revision } = foldHistory(leadDecider, read.get(survivorStream)!, ctx.tenantId);
      if (revision === -1) throw new LeadError('lead_not_found', `lead ${survivorId} does not exist`);
      const earlier = options.idempotencyKey === undefined ? [] : read.get(survivorStream)!.filter((e) => e.metadata.idempotencyKey === options.idempotencyKey);
      if (earlier.length === 0 && options.expectedRevision !== undefined && options.expectedRevision !== revision) {
        throw new ConcurrencyConflictError(survivorStream, options.expectedRevision, revision);
      }
      const now = this.clock.now();
      // A replay decides nothing on the survivor: what the first attempt wrote is its answer.
      const survivorEvents = earlier.length > 0 ? [] : leadDecider.decide({ type: 'MergeLead', data: { survivorId, mergedId, mergedBy: ctx.actor, now } }, survivor);
      const { state: loserBefore, revision: loserRevision } = foldHistory(leadDecider, read.get(loserStream)!, ctx.tenantId);
      const loserEvents = leadDecider.decide({ type: 'MarkLeadMerged', data: { leadId: mergedId, survivorId, mergedBy: ctx.actor, now } }, loserBefore);
      const loser = loserEvents.reduce(leadDecider.evolve, loserBefore);
      // The decider has refused a missing loser already; this tells the compiler so.
      if (loser.status === 'none') throw new LeadError('lead_not_found', `lead ${mergedId} does not exist`);

      // The loser's keys that still name it (or nobody) name the survivor now, so later captures attach there.
      const keys = leadMatchKeys(loser);
      keyStreams = this.index.streamsOf(ctx.tenantId, keys);
      const unread = keyStreams.filter((name) => !read.has(name));
      if (unread.length > 0) for (const [name, history] of await this.readMany(unread)) read.set(name, history);
      const entries = keys
        .map((key, i) => this.index.entryOf(ctx.tenantId, key, read.get(keyStreams[i])!))
        .filter((entry) => entry.leadId === undefined || entry.leadId === mergedId);
      const claims = this.index.claims(entries, survivorId, options.metadata);

      const toLoser = toAppend(loserEvents, metadata);
      const toSurvivor = toAppend(survivorEvents, metadata);
      if (toLoser.length > 0 || toSurvivor.length > 0 || claims.length > 0) {
        try {
          // Both leads are expected at the revisions read even when one has nothing to write: the decision rests on both.
          await this.store.appendToStreams([
            { streamName: loserStream, events: toLoser, expectedState: loserRevision },
            { streamName: survivorStream, events: toSurvivor, expectedState: revision },
            ...claims,
          ]);
        } catch (error) {
          // Something was written since the read (nothing of ours was): read again; the If-Match check above answers 409 if it was the survivor.
          if (error instanceof WrongExpectedVersionError) continue;
          throw error;
        }
      }
      await this.releaseOwner(ctx, loser);
      if (earlier.length > 0) {
        return { state: survivor, events: earlier.map((e) => ({ type: e.type, data: e.data, id: e.id, revision: e.revision }) as LeadResult['events'][number]), revision, replayed: true };
      }
      return {
        state: survivorEvents.reduce(leadDecider.evolve, survivor),
        events: survivorEvents.map((e, i) => ({ ...e, id: toSurvivor[i].id, revision: revision + 1 + i })),
        revision: revision + survivorEvents.length,
        replayed: false,
      };
    }
    throw new TooMuchContentionError(survivorStream, MAX_MERGE_ATTEMPTS);
  }

  /** Several streams in one round trip, by name (a name given twice is read once). */
  private async readMany(names: readonly string[]): Promise<Map<string, RecordedEvent[]>> {
    const unique = [...new Set(names)];
    const histories = await this.store.readStreams(unique);
    return new Map(unique.map((name, i) => [name, histories[i]]));
  }

  /**
   * A converted, disqualified or merged lead no longer counts against its owner's claim cap, and
   * its return-to-pool timer is cancelled now rather than found stale when it fires.
   */
  private async releaseOwner(ctx: RequestContext, lead: LeadState): Promise<void> {
    if (lead.status === 'none' || lead.ownerId === undefined) return;
    if (lead.status !== 'converted' && lead.status !== 'disqualified' && lead.mergedInto === undefined) return;
    const repId = lead.ownerId;
    await handleCommand(this.store, repLeadsStream(ctx.tenantId, repId), repLeadsDecider,
      { type: 'DropLead', data: { repId, leadId: lead.leadId, now: this.clock.now() } }, { metadata: commandMetadata(ctx) });
    await this.timers.cancel({ tenantId: ctx.tenantId, id: returnToPoolTimerId(lead.leadId) });
  }

  /** Sales recorded what stands for a converted lead: note it on the lead (a no-op when already noted). */
  confirmConversion(data: LeadConversionRecordedData, cause: Pick<RecordedEvent, 'id' | 'metadata'>): Promise<LeadResult> {
    const metadata: EventMetadata = {
      tenantId: cause.metadata.tenantId,
      actor: CONVERSION_CONFIRMATION_ACTOR,
      correlationId: cause.metadata.correlationId,
      causationId: cause.id,
    };
    const { leadId, accountId, account, contactId, contact, opportunityId } = data;
    return handleCommand(this.store, leadStream(leadId), leadDecider, {
      type: 'ConfirmLeadConversion',
      data: { leadId, accountId, account, contactId, contact, ...(opportunityId !== undefined && { opportunityId }), now: this.clock.now() },
    }, { metadata });
  }

  /**
   * Records a batch of touchpoints: one command (one append) per lead, a few leads at a time.
   * Idempotent by touchpoint id; a touchpoint for an unknown lead is rejected on its own.
   */
  async recordTouchpoints(ctx: RequestContext, batch: TouchpointBatchBody): Promise<TouchpointResult[]> {
    const byLead = new Map<string, TouchpointInput[]>();
    for (const { leadId, ...touchpoint } of batch.touchpoints) byLead.set(leadId, [...(byLead.get(leadId) ?? []), touchpoint]);
    const outcome = new Map<string, Pick<TouchpointResult, 'status' | 'code'>>();
    const options = { ...commandOptions(ctx), idempotencyKey: undefined, expectedRevision: undefined };
    const now = this.clock.now();
    const leads = [...byLead.entries()];
    const worker = async () => {
      for (let next = leads.shift(); next; next = leads.shift()) {
        const [leadId, touchpoints] = next;
        try {
          const result = await handleCommand(this.store, leadStream(leadId), leadDecider, { type: 'RecordTouchpoints', data: { leadId, touchpoints, now } }, options);
          const recorded = new Set(result.events.map((e) => (e.data as { touchpointId: string }).touchpointId));
          for (const t of touchpoints) outcome.set(`${leadId}/${t.touchpointId}`, { status: recorded.has(t.touchpointId) ? 'recorded' : 'duplicate' });
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          for (const t of touchpoints) outcome.set(`${leadId}/${t.touchpointId}`, { status: 'rejected', code: error.code });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(8, leads.length) }, worker));
    return batch.touchpoints.map(({ touchpointId, leadId }) => ({ touchpointId, leadId, ...outcome.get(`${leadId}/${touchpointId}`)! }));
  }

  async get(ctx: RequestContext, leadId: string): Promise<{ state: ExistingLead; revision: number }> {
    const { state, revision } = await loadAggregate(this.store, leadStream(leadId), leadDecider, ctx.tenantId);
    if (state.status === 'none') throw new LeadError('lead_not_found', `lead ${leadId} does not exist`);
    return { state, revision };
  }

  private run(ctx: RequestContext, leadId: string, command: LeadCommand): Promise<LeadResult> {
    return handleCommand(this.store, leadStream(leadId), leadDecider, command, commandOptions(ctx));
  }
}
