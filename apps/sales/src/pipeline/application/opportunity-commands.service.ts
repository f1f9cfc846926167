import {
  DEFAULT_PIPELINE_ID, idFromKey, newId, opportunityStream, type ActivityLoggedData, type LeadConversionRecordedData, type Money, type OpportunityEvent,
  type RecordedEvent,
} from '@crm/contracts';
import { handleCommand, loadAggregate, type Clock, type CommandOptions, type CommandResult } from '@crm/domain';
import type { EventStore } from '@crm/eventstore';
import { commandOptions, CLOCK, EVENT_STORE, type RequestContext } from '@crm/nest-kit';
import { Inject, Injectable } from '@nestjs/common';
import { readSalesSettings } from '../../settings/sales-settings.reader';
import type { OpportunityChanges, OpportunityCommand } from '../domain/opportunity.commands';
import { opportunityDecider, type Opportunity, type OpportunityState } from '../domain/opportunity.decider';
import { OpportunityError } from '../domain/opportunity.errors';
import type { PipelineDefinition } from '../domain/pipeline.decider';
import { PipelineService } from './pipeline.service';
import { StalledDealService } from './stalled-deal.service';

export type OpportunityResult = CommandResult<OpportunityEvent, OpportunityState> & { opportunityId: string };

export type OpenOpportunity = {
  name: string;
  accountId: string;
  contactId?: string;
  pipelineId?: string;
  stageId?: string;
  amount: Money;
  expectedCloseDate: string;
  ownerId?: string;
  teamId?: string;
  competitors?: string[];
};

export type LoseBody = { reason?: string; note?: string; competitor?: string };

/** Options of a command caused by a recorded event: its id is the idempotency key (under `scope`), so a redelivery appends nothing. */
const causedBy = (event: RecordedEvent, scope: string): CommandOptions => {
  const { tenantId, actor, correlationId } = event.metadata;
  return { metadata: { tenantId, actor: actor ?? 'system', correlationId, causationId: event.id }, idempotencyKey: `${scope}:${event.id}` };
};

/**
 * Opportunity commands (`opportunity-<id>`). Each one runs through `handleCommand` and then
 * re-arms the stalled-deal timers from the resulting state.
 */
@Injectable()
export class OpportunityCommandsService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly pipelines: PipelineService,
    private readonly stalled: StalledDealService,
  ) {}

  /** A retried create with the same Idempotency-Key addresses the same opportunity. */
  async create(ctx: RequestContext, body: OpenOpportunity): Promise<OpportunityResult> {
    const opportunityId = ctx.idempotencyKey ? idFromKey(ctx.tenantId, 'opportunity', ctx.idempotencyKey) : newId();
    const { pipelineId = DEFAULT_PIPELINE_ID, ownerId = ctx.actor, ...rest } = body;
    const pipeline = await this.pipeline(ctx.tenantId, pipelineId);
    return this.run(ctx.tenantId, opportunityId, { type: 'CreateOpportunity', data: { opportunityId, ...rest, ownerId, pipeline, now: this.clock.now() } }, commandOptions(ctx));
  }

  update(ctx: RequestContext, opportunityId: string, changes: OpportunityChanges): Promise<OpportunityResult> {
    return this.run(ctx.tenantId, opportunityId, { type: 'UpdateOpportunity', data: { opportunityId, changes, now: this.clock.now() } }, commandOptions(ctx));
  }

  async changeStage(ctx: RequestContext, opportunityId: string, stageId: string): Promise<OpportunityResult> {
    const pipeline = await this.pipelineOf(ctx, opportunityId);
    return this.run(ctx.tenantId, opportunityId, { type: 'ChangeOpportunityStage', data: { opportunityId, stageId, pipeline, changedBy: ctx.actor, now: this.clock.now() } }, commandOptions(ctx));
  }

  win(ctx: RequestContext, opportunityId: string): Promise<OpportunityResult> {
    return this.run(ctx.tenantId, opportunityId, { type: 'WinOpportunity', data: { opportunityId, now: this.clock.now() } }, commandOptions(ctx));
  }

  async lose(ctx: RequestContext, opportunityId: string, body: LoseBody): Promise<OpportunityResult> {
    const { lostReasons } = await readSalesSettings(this.store, ctx.tenantId);
    return this.run(ctx.tenantId, opportunityId, { type: 'LoseOpportunity', data: { opportunityId, ...body, lostReasons, now: this.clock.now() } }, commandOptions(ctx));
  }

  async reopen(ctx: RequestContext, opportunityId: string, stageId: string | undefined): Promise<OpportunityResult> {
    const pipeline = await this.pipelineOf(ctx, opportunityId);
    return this.run(ctx.tenantId, opportunityId, {
      type: 'ReopenOpportunity', data: { opportunityId, ...(stageId !== undefined && { stageId }), pipeline, now: this.clock.now() },
    }, commandOptions(ctx));
  }

  /**
   * Opens the opportunity a lead conversion asked for, in the tenant's default pipeline and its
   * first stage. Redelivery appends nothing: the event id is the idempotency key, and a create
   * with the same content on an existing opportunity is a no-op in the decider.
   */
  async openFromLeadConversion(event: RecordedEvent & { data: LeadConversionRecordedData }): Promise<OpportunityResult | undefined> {
    const { opportunityId, opportunity, accountId, contactId } = event.data;
    if (opportunityId === undefined || opportunity === undefined) return undefined;
    const { tenantId } = event.metadata;
    const pipeline = await this.pipeline(tenantId, DEFAULT_PIPELINE_ID);
    const { name, amount, expectedCloseDate, ownerId, source } = opportunity;
    return this.run(tenantId, opportunityId, {
      type: 'CreateOpportunity',
      data: { opportunityId, name, accountId, contactId, pipeline, amount, expectedCloseDate, ownerId, source, now: this.clock.now() },
    }, causedBy(event, 'lead-conversion'));
  }

  /**
   * Records an activity logged about an opportunity (`about.opportunityId`) on it, which moves
   * its stalled-deal clock and re-arms the timers like any update. Redelivery appends nothing:
   * the event id is the idempotency key, and the decider records each activity id once.
   */
  async recordActivity(event: RecordedEvent & { data: ActivityLoggedData }): Promise<OpportunityResult | undefined> {
    const { activityId, kind, occurredAt, about: { opportunityId } } = event.data;
    if (opportunityId === undefined) return undefined;
    const { tenantId } = event.metadata;
    return this.run(tenantId, opportunityId, {
      type: 'RecordOpportunityActivity',
      data: { opportunityId, activityId, kind, occurredAt: new Date(occurredAt), now: this.clock.now() },
    }, causedBy(event, 'opportunity-activity'));
  }

  async get(ctx: RequestContext, opportunityId: string): Promise<{ state: Opportunity; revision: number }> {
    const { state, revision } = await loadAggregate(this.store, opportunityStream(opportunityId), opportunityDecider, ctx.tenantId);
    if (state.status === 'none') throw new OpportunityError('opportunity_not_found', `opportunity ${opportunityId} does not exist`);
    return { state, revision };
  }

  private async run(tenantId: string, opportunityId: string, command: OpportunityCommand, options: CommandOptions): Promise<OpportunityResult> {
    const result = await handleCommand(this.store, opportunityStream(opportunityId), opportunityDecider, command, options);
    await this.stalled.rearm(tenantId, result.state);
    return { ...result, opportunityId };
  }

  private async pipeline(tenantId: string, pipelineId: string): Promise<PipelineDefinition> {
    const found = await this.pipelines.find(tenantId, pipelineId);
    if (!found) throw new OpportunityError('unknown_pipeline', `pipeline ${pipelineId} does not exist`, { pipelineId });
    return found.pipeline;
  }

  /** The definition in effect of the opportunity's own pipeline (an opportunity never changes pipeline). */
  private async pipelineOf(ctx: RequestContext, opportunityId: string): Promise<PipelineDefinition> {
    const { state } = await this.get(ctx, opportunityId);
    return this.pipeline(ctx.tenantId, state.pipelineId);
  }
}
