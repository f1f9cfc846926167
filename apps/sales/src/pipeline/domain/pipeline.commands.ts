import type { PipelineStage } from '@crm/contracts';

/** Defines or redefines a pipeline: the whole ordered stage list each time. */
export type DefinePipeline = {
  type: 'DefinePipeline';
  data: { pipelineId: string; name: string; stages: readonly PipelineStage[]; now: Date };
};

export type PipelineCommand = DefinePipeline;
