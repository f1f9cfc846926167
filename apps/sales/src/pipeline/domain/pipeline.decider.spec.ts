import { DEFAULT_PIPELINE_STAGES, eventSchemas, SalesPipelineEventType } from '@crm/contracts';
import { DeciderSpecification } from '@crm/domain';
import { BUILT_IN_DEFAULT_PIPELINE, effectivePipeline, pipelineDecider, type PipelineEvent } from './pipeline.decider';

const given = DeciderSpecification.for(pipelineDecider);
const now = new Date('2026-11-02T09:00:00.000Z');
const stages = [
  { stageId: 'qualify', name: 'Qualify', probability: 20 },
  { stageId: 'demo', name: 'Demo', probability: 60 },
];
const define = (over: Partial<{ name: string; stages: typeof stages }> = {}) => ({
  type: 'DefinePipeline' as const,
  data: { pipelineId: 'smb', name: over.name ?? 'SMB', stages: over.stages ?? stages, now },
});
const defined: PipelineEvent = { type: SalesPipelineEventType.PipelineDefined, data: { pipelineId: 'smb', name: 'SMB', stages, definedAt: now.toISOString() } };

describe('Pipeline decider', () => {
  it('defines a pipeline with its ordered stages and probabilities', () => given([]).when(define()).then([defined]));
  it('redefines it (stages removed, added, reordered)', () => {
    const next = [{ stageId: 'demo', name: 'Demo', probability: 70 }, { stageId: 'close', name: 'Close', probability: 90 }];
    given([defined]).when(define({ stages: next })).then([{ type: SalesPipelineEventType.PipelineDefined, data: { pipelineId: 'smb', name: 'SMB', stages: next, definedAt: now.toISOString() } }]);
  });
  it('does nothing when the definition is unchanged', () => given([defined]).when(define()).thenNothingHappened());
  it('refuses a stage id used twice', () =>
    given([]).when(define({ stages: [...stages, { stageId: 'demo', name: 'Demo 2', probability: 80 }] })).thenThrows('duplicate_stage_id'));
  it.each([[-1], [101], [12.5]])('refuses a probability of %s', (probability) =>
    given([]).when(define({ stages: [{ stageId: 'x', name: 'X', probability }] })).thenThrows('invalid_stages'));
  it('refuses an empty or oversized stage list', () => {
    given([]).when(define({ stages: [] })).thenThrows('invalid_stages');
    given([]).when(define({ stages: Array.from({ length: 21 }, (_, i) => ({ stageId: `s${i}`, name: `S${i}`, probability: i })) })).thenThrows('invalid_stages');
  });
  it('the default pipeline exists undefined (DOMAIN.md stages); other pipelines only once defined', () => {
    expect(effectivePipeline({ defined: false }, 'default')).toEqual(BUILT_IN_DEFAULT_PIPELINE);
    expect(BUILT_IN_DEFAULT_PIPELINE.stages.map((s) => s.stageId)).toEqual(DEFAULT_PIPELINE_STAGES.map((s) => s.stageId));
    expect(effectivePipeline({ defined: false }, 'smb')).toBeUndefined();
    expect(effectivePipeline(pipelineDecider.evolve({ defined: false }, defined), 'smb')).toEqual({ pipelineId: 'smb', name: 'SMB', stages });
  });
  it('emits events that match the published schema', () =>
    expect(eventSchemas[defined.type].data.safeParse(defined.data)).toMatchObject({ success: true }));
});
