import { PipelineStage } from '@crm/contracts';
import { z } from 'zod';

const text = (max: number) => z.string().trim().min(1).max(max);

/** Pipeline ids are tenant-chosen slugs (`default`, `smb`, `enterprise-2027`). */
export const PipelineIdParam = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,99}$/, 'a pipeline id: lower-case letters, digits, "-" and "_" (at most 100)');

export const DefinePipelineBody = z
  .object({
    name: text(200),
    /** In order; each stage's win probability is a whole percent 0–100. */
    stages: z.array(PipelineStage.extend({ name: text(100) }).strict()).min(1).max(20),
  })
  .strict();
export type DefinePipelineBody = z.infer<typeof DefinePipelineBody>;

const stage = z.object({ stageId: z.string(), name: z.string(), probability: z.number().int() });

export const PipelineResponse = z.object({
  pipelineId: z.string(),
  name: z.string(),
  stages: z.array(stage),
  /** True for the default pipeline while the tenant has not defined it (the DOMAIN.md stages). */
  builtIn: z.boolean(),
  revision: z.number().int(),
});
export type PipelineResponse = z.infer<typeof PipelineResponse>;

export const PipelineListResponse = z.object({ pipelines: z.array(z.object({ pipelineId: z.string(), name: z.string(), stages: z.array(stage) })) });
