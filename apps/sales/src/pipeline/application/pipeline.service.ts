import { DEFAULT_PIPELINE_ID, pipelineStream, SalesPipelineEventType, type PipelineDefinedData, type PipelineStage } from '@crm/contracts';
import { handleCommand, loadAggregate, type Clock } from '@crm/domain';
import type { EventStore } from '@crm/eventstore';
import { commandOptions, CLOCK, EVENT_STORE, type RequestContext } from '@crm/nest-kit';
import { Inject, Injectable } from '@nestjs/common';
import { BUILT_IN_DEFAULT_PIPELINE, effectivePipeline, pipelineDecider, type PipelineDefinition } from '../domain/pipeline.decider';
import { PipelineError } from '../domain/pipeline.errors';
import { scanTenantStreams } from './stream-scan';

/** A pipeline as served: `builtIn` while the default pipeline was never defined (revision -1). */
export type CurrentPipeline = { pipeline: PipelineDefinition; builtIn: boolean; revision: number };

/** Pipelines of a tenant (`pipeline-<tenant>-<id>`); the default one exists without being defined. */
@Injectable()
export class PipelineService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async define(ctx: RequestContext, pipelineId: string, body: { name: string; stages: PipelineStage[] }): Promise<CurrentPipeline> {
    const { state, revision } = await handleCommand(this.store, pipelineStream(ctx.tenantId, pipelineId), pipelineDecider,
      { type: 'DefinePipeline', data: { pipelineId, ...body, now: this.clock.now() } }, commandOptions(ctx));
    return { pipeline: effectivePipeline(state, pipelineId)!, builtIn: false, revision };
  }

  /** The pipeline in effect, or undefined when the tenant has no such pipeline. */
  async find(tenantId: string, pipelineId: string): Promise<CurrentPipeline | undefined> {
    const { state, revision } = await loadAggregate(this.store, pipelineStream(tenantId, pipelineId), pipelineDecider, tenantId);
    const pipeline = effectivePipeline(state, pipelineId);
    return pipeline && { pipeline, builtIn: !state.defined, revision };
  }

  async get(tenantId: string, pipelineId: string): Promise<CurrentPipeline> {
    const found = await this.find(tenantId, pipelineId);
    if (!found) throw new PipelineError('pipeline_not_found', `pipeline ${pipelineId} does not exist`);
    return found;
  }

  /** Every pipeline of the tenant, the default one first, then by id. */
  async list(tenantId: string): Promise<PipelineDefinition[]> {
    const latest = new Map<string, PipelineDefinition>();
    for (const e of await scanTenantStreams(this.store, tenantId, pipelineStream(tenantId, ''), SalesPipelineEventType.PipelineDefined)) {
      const { pipelineId, name, stages } = e.data as PipelineDefinedData;
      latest.set(pipelineId, { pipelineId, name, stages });
    }
    const others = [...latest.values()].filter((p) => p.pipelineId !== DEFAULT_PIPELINE_ID).sort((a, b) => (a.pipelineId < b.pipelineId ? -1 : 1));
    return [latest.get(DEFAULT_PIPELINE_ID) ?? BUILT_IN_DEFAULT_PIPELINE, ...others];
  }

  /** Stage ids any pipeline of the tenant has: what a stalled rule may name. */
  async knownStageIds(tenantId: string): Promise<Set<string>> {
    return new Set((await this.list(tenantId)).flatMap((p) => p.stages.map((s) => s.stageId)));
  }
}
