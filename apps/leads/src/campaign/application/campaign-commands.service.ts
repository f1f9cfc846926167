import { campaignStream, idFromKey, newId, type CampaignEvent } from '@crm/contracts';
import { handleCommand, loadAggregate, type Clock, type CommandResult } from '@crm/domain';
import type { EventStore } from '@crm/eventstore';
import { commandOptions, CLOCK, EVENT_STORE, type RequestContext } from '@crm/nest-kit';
import { Inject, Injectable } from '@nestjs/common';
import type { CampaignCommand } from '../domain/campaign.commands';
import { assignedVariant, campaignDecider, type CampaignState, type ExistingCampaign } from '../domain/campaign.decider';
import { CampaignError } from '../domain/campaign.errors';
import type {
  AddCostBody, CancelCampaignBody, CreateCampaignBody, DefineVariantsBody, EngagementBatchBody, EngagementResult, UpdateCampaignBody, VariantResponse,
} from '../http/campaign.dto';

type Result = CommandResult<CampaignEvent, CampaignState>;

@Injectable()
export class CampaignCommandsService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** A retried create with the same Idempotency-Key addresses the same campaign. */
  create(ctx: RequestContext, body: CreateCampaignBody): Promise<Result & { campaignId: string }> {
    const campaignId = ctx.idempotencyKey ? idFromKey(ctx.tenantId, 'campaign', ctx.idempotencyKey) : newId();
    return this.run(ctx, campaignId, { type: 'CreateCampaign', data: { campaignId, ...body, now: this.clock.now() } }).then((r) => ({ ...r, campaignId }));
  }

  update(ctx: RequestContext, campaignId: string, body: UpdateCampaignBody) {
    return this.run(ctx, campaignId, { type: 'UpdateCampaign', data: { campaignId, ...body, now: this.clock.now() } });
  }

  addCost(ctx: RequestContext, campaignId: string, { amountMinor, currency, ...entry }: AddCostBody) {
    return this.run(ctx, campaignId, { type: 'AddCostEntry', data: { campaignId, ...entry, amount: { amountMinor, currency }, now: this.clock.now() } });
  }

  defineVariants(ctx: RequestContext, campaignId: string, body: DefineVariantsBody) {
    return this.run(ctx, campaignId, { type: 'DefineVariants', data: { campaignId, variants: body.variants, now: this.clock.now() } });
  }

  start(ctx: RequestContext, campaignId: string) {
    return this.run(ctx, campaignId, { type: 'StartCampaign', data: { campaignId, now: this.clock.now() } });
  }

  complete(ctx: RequestContext, campaignId: string) {
    return this.run(ctx, campaignId, { type: 'CompleteCampaign', data: { campaignId, now: this.clock.now() } });
  }

  cancel(ctx: RequestContext, campaignId: string, body: CancelCampaignBody) {
    return this.run(ctx, campaignId, { type: 'CancelCampaign', data: { campaignId, ...body, now: this.clock.now() } });
  }

  /**
   * Records a batch of engagements in one append. Idempotent by engagement id (no
   * Idempotency-Key or If-Match: concurrent batches are retried, never refused).
   */
  async recordEngagements(ctx: RequestContext, campaignId: string, batch: EngagementBatchBody): Promise<{ results: EngagementResult[]; revision: number }> {
    const options = { ...commandOptions(ctx), idempotencyKey: undefined, expectedRevision: undefined };
    const command: CampaignCommand = { type: 'RecordCampaignEngagement', data: { campaignId, engagements: batch.engagements, now: this.clock.now() } };
    const result = await handleCommand(this.store, campaignStream(campaignId), campaignDecider, command, options);
    const recorded = new Set(result.events.map((e) => (e.data as { engagementId: string }).engagementId));
    const campaign = result.state as ExistingCampaign;
    const results = batch.engagements.map(({ engagementId, leadId }): EngagementResult => {
      const first = recorded.delete(engagementId);
      return { engagementId, leadId, status: first ? 'recorded' : 'duplicate', variant: assignedVariant(campaign, leadId) };
    });
    return { results, revision: result.revision };
  }

  async get(ctx: RequestContext, campaignId: string): Promise<{ state: ExistingCampaign; revision: number }> {
    const { state, revision } = await loadAggregate(this.store, campaignStream(campaignId), campaignDecider, ctx.tenantId);
    if (state.status === 'none') throw new CampaignError('campaign_not_found', `campaign ${campaignId} does not exist`);
    return { state, revision };
  }

  /** Which variant a lead gets (or got): its recorded assignment, else the deterministic split. */
  async variantOf(ctx: RequestContext, campaignId: string, leadId: string): Promise<VariantResponse> {
    const { state } = await this.get(ctx, campaignId);
    const variant = assignedVariant(state, leadId);
    if (variant === null) throw new CampaignError('variants_not_defined', `campaign ${campaignId} has no A/B variants`);
    return { campaignId, leadId, variant, assigned: state.leadVariants.get(leadId) === variant };
  }

  private run(ctx: RequestContext, campaignId: string, command: CampaignCommand): Promise<Result> {
    return handleCommand(this.store, campaignStream(campaignId), campaignDecider, command, commandOptions(ctx));
  }
}
