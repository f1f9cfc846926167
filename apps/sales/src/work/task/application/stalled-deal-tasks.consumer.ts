import { idFromKey, OpportunityStalledData, SalesPipelineEventType, type RecordedEvent } from '@crm/contracts';
import type { EventConsumer } from '@crm/messaging';
import { OWN_EVENTS, runConsumer } from '@crm/nest-kit';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { SALES_OPTIONS, type SalesOptions } from '../../../sales.options';
import { TaskCommandsService } from './task-commands.service';

/** Durable consumer name (`<consuming-app>.<purpose>`); its checkpoint lives in the sales schema. */
export const STALLED_DEAL_TASKS_CONSUMER = 'sales.stalled-deal-tasks';

export const STALLED_DEAL_TASK_TITLE = 'Follow up stalled deal';

const DAY_MS = 86_400_000;

/** The task a stalled-deal event creates: derived from the event, so a redelivery names the same task. */
export const stalledDealTaskId = (tenantId: string, eventId: string): string => idFromKey(tenantId, 'stalled-deal-task', eventId);

/**
 * The stalled-deal rule's follow-up (DOMAIN.md §2): `sales.OpportunityStalled` at level `owner`
 * gives the owner a task; at level `manager` (the second period) the manager gets one too.
 * The task is due a day after the deal was found stalled, with a reminder at once. An in-process
 * catch-up consumer of the sales store with a checkpoint (`sales.consumer_checkpoints` on
 * PostgreSQL, in memory otherwise: then it starts from the beginning after a restart, which
 * creates nothing twice because task ids and idempotency keys come from the event id).
 */
@Injectable()
export class StalledDealTasksConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private stop?: () => Promise<void>;

  constructor(
    @Inject(OWN_EVENTS) private readonly events: EventConsumer,
    @Inject(SALES_OPTIONS) private readonly options: SalesOptions,
    private readonly tasks: TaskCommandsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.background === false) return;
    this.stop = await runConsumer(this.events, { name: STALLED_DEAL_TASKS_CONSUMER, sources: ['sales'], eventTypes: [SalesPipelineEventType.OpportunityStalled] }, (event) => this.handle(event));
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop?.();
  }

  /** Idempotent: a redelivered event creates nothing twice. */
  async handle(event: RecordedEvent): Promise<void> {
    if (event.type !== SalesPipelineEventType.OpportunityStalled) return;
    const stalled = OpportunityStalledData.parse(event.data);
    const assigneeId = stalled.level === 'owner' ? stalled.ownerId : stalled.managerId;
    if (assigneeId === undefined) return; // escalation without a team manager: the owner's task is all there is
    const { tenantId } = event.metadata;
    const detectedAt = new Date(stalled.detectedAt);
    const description = stalled.level === 'owner'
      ? `No update for ${stalled.idleDays} days in stage ${stalled.stageId}.`
      : `Escalated: no update for ${stalled.idleDays} days in stage ${stalled.stageId}; the deal is owned by ${stalled.ownerId}.`;
    await this.tasks.createForSystem(
      tenantId,
      {
        taskId: stalledDealTaskId(tenantId, event.id),
        title: STALLED_DEAL_TASK_TITLE,
        description,
        about: { opportunityId: stalled.opportunityId },
        assigneeId,
        // Times come from the event, not the clock, so a late or repeated delivery decides the same task.
        dueAt: new Date(detectedAt.getTime() + DAY_MS),
        remindAt: detectedAt,
        origin: { kind: 'stalled_deal', opportunityId: stalled.opportunityId },
      },
      { idempotencyKey: `stalled-deal:${event.id}`, correlationId: event.metadata.correlationId, causationId: event.id },
    );
  }
}
