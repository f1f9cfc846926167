import type { RecordedEvent } from '@crm/contracts';
import type { SourceContext } from '@crm/messaging';
import type { InsightsPrisma, Prisma } from '../database/insights-prisma';

/** What a projection writes with: the transaction that also moves its checkpoint. */
export type ProjectionTransaction = Prisma.TransactionClient;

export type ProjectionOutcome = 'applied' | 'skipped';

const TRANSACTION = { maxWait: 10_000, timeout: 30_000 } as const;

/**
 * Applies `event` to a read model at most once per (projection, source), so that redelivery and
 * replay change nothing. In ONE transaction it moves the checkpoint of (projection, source) up to
 * `event.position` — only if it is below: the conditional UPDATE reads and locks the checkpoint in
 * one statement, so concurrent deliveries queue behind each other — skips the event when the
 * checkpoint is already at or past it, and otherwise runs `apply` in the same transaction.
 * A throwing `apply` rolls the checkpoint back with it.
 */
export const applyOnce = (
  prisma: InsightsPrisma,
  projection: string,
  source: SourceContext,
  event: Pick<RecordedEvent, 'position'>,
  apply: (tx: ProjectionTransaction) => Promise<void>,
): Promise<ProjectionOutcome> =>
  prisma.$transaction(async (tx) => {
    const now = new Date();
    const advanced = await tx.projectionCheckpoint.updateMany({
      where: { projection, source, position: { lt: event.position } },
      data: { position: event.position, updatedAt: now },
    });
    if (advanced.count === 0) {
      const checkpoint = await tx.projectionCheckpoint.findUnique({ where: { projection_source: { projection, source } } });
      if (checkpoint) return 'skipped';
      // First event of this source: a concurrent first delivery fails on the primary key and is retried.
      await tx.projectionCheckpoint.create({ data: { projection, source, position: event.position, updatedAt: now } });
    }
    await apply(tx);
    return 'applied';
  }, TRANSACTION);

/** The position of the last event of `source` that `projection` has applied, if any. */
export const readCheckpoint = async (prisma: InsightsPrisma, projection: string, source: SourceContext): Promise<bigint | undefined> =>
  (await prisma.projectionCheckpoint.findUnique({ where: { projection_source: { projection, source } } }))?.position;
