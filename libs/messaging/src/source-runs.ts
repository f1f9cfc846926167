import type { RunningConsumer, SourceContext, SourceLag } from './consumer.port';

/** One source's delivery loop inside a consumer (each adapter has its own). */
export type SourceRun = { start(): Promise<void>; stop(): Promise<void>; lag(): Promise<SourceLag> };

/**
 * Starts one run per source, in order; if one fails to start, stops those already started and
 * rethrows. The combined consumer stays in `running` (for the adapter's `close()`) until stopped.
 */
export const startSourceRuns = async (
  sources: readonly SourceContext[],
  create: (source: SourceContext) => SourceRun | Promise<SourceRun>,
  running: Set<RunningConsumer>,
  afterStop: () => Promise<void> = async () => undefined,
): Promise<RunningConsumer> => {
  const runs: SourceRun[] = [];
  try {
    for (const source of sources) {
      const run = await create(source);
      await run.start();
      runs.push(run);
    }
  } catch (error) {
    await Promise.all(runs.map((r) => r.stop()));
    throw error;
  }
  const consumer: RunningConsumer = {
    stop: async () => {
      running.delete(consumer);
      await Promise.all(runs.map((r) => r.stop()));
      await afterStop();
    },
    lag: () => Promise.all(runs.map((r) => r.lag())),
  };
  running.add(consumer);
  return consumer;
};
