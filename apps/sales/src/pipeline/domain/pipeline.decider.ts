import { DEFAULT_PIPELINE_ID, DEFAULT_PIPELINE_STAGES, SalesPipelineEventType, type PipelineStage } from '@crm/contracts';
import type { Decider } from '@crm/domain';
import type { PipelineCommand } from './pipeline.commands';
import { PipelineError } from './pipeline.errors';

export type PipelineEvent = {
  type: typeof SalesPipelineEventType.PipelineDefined;
  data: { pipelineId: string; name: string; stages: PipelineStage[]; definedAt: string };
};

/** What opportunities see of a pipeline: its ordered stages and their win probabilities. */
export type PipelineDefinition = { pipelineId: string; name: string; stages: readonly PipelineStage[] };

/** A pipeline stream (`pipeline-<tenant>-<id>`): nothing until it is defined, then its latest definition. */
export type PipelineState = { defined: false } | ({ defined: true } & PipelineDefinition);

export const MAX_STAGES = 20;

/** Every tenant has this pipeline without defining it; defining `default` replaces it for that tenant. */
export const BUILT_IN_DEFAULT_PIPELINE: PipelineDefinition = {
  pipelineId: DEFAULT_PIPELINE_ID,
  name: 'Default pipeline',
  stages: DEFAULT_PIPELINE_STAGES,
};

/** The pipeline in effect: its definition, or the built-in stages for the undefined default pipeline. */
export const effectivePipeline = (state: PipelineState, pipelineId: string): PipelineDefinition | undefined => {
  if (state.defined) return { pipelineId: state.pipelineId, name: state.name, stages: state.stages };
  return pipelineId === DEFAULT_PIPELINE_ID ? BUILT_IN_DEFAULT_PIPELINE : undefined;
};

export const stageOf = (pipeline: PipelineDefinition, stageId: string): PipelineStage | undefined =>
  pipeline.stages.find((s) => s.stageId === stageId);

const sameStages = (a: readonly PipelineStage[], b: readonly PipelineStage[]): boolean =>
  a.length === b.length && a.every((s, i) => s.stageId === b[i].stageId && s.name === b[i].name && s.probability === b[i].probability);

const evolve = (_state: PipelineState, event: PipelineEvent): PipelineState => {
  switch (event.type) {
    case SalesPipelineEventType.PipelineDefined:
      return { defined: true, pipelineId: event.data.pipelineId, name: event.data.name, stages: event.data.stages };
    default:
      return _state;
  }
};

/**
 * Redefining keeps every opportunity valid: an opportunity sitting in a stage that the new
 * definition drops stays where it is (with the probability it had) until it is moved on to a
 * stage that exists. So stages can be removed without a read model of who sits in them.
 */
const decide = ({ data }: PipelineCommand, state: PipelineState): PipelineEvent[] => {
  if (data.stages.length === 0 || data.stages.length > MAX_STAGES) {
    throw new PipelineError('invalid_stages', `a pipeline has 1 to ${MAX_STAGES} stages, not ${data.stages.length}`);
  }
  const bad = data.stages.find((s) => !Number.isInteger(s.probability) || s.probability < 0 || s.probability > 100);
  if (bad) throw new PipelineError('invalid_stages', `stage ${bad.stageId}: the probability is a whole percent 0–100, not ${bad.probability}`);
  const seen = new Set<string>();
  for (const { stageId } of data.stages) {
    if (seen.has(stageId)) throw new PipelineError('duplicate_stage_id', `stage id ${stageId} appears more than once`, { stageId });
    seen.add(stageId);
  }
  if (state.defined && state.name === data.name && sameStages(state.stages, data.stages)) return [];
  return [{
    type: SalesPipelineEventType.PipelineDefined,
    data: { pipelineId: data.pipelineId, name: data.name, stages: data.stages.map((s) => ({ ...s })), definedAt: data.now.toISOString() },
  }];
};

export const pipelineDecider: Decider<PipelineCommand, PipelineEvent, PipelineState> = {
  initialState: () => ({ defined: false }),
  evolve,
  decide,
};
