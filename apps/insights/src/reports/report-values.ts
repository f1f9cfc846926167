import type { RecordedEvent } from '@crm/contracts';
import { ReportsError } from './reports.errors';

/** Group key of facts that carry no value for the grouping dimension (no utm_source, no campaign). */
export const NONE_KEY = '(none)';

/** The tenant of an event: always `metadata.tenantId`, never the payload. */
export const tenantOf = (event: RecordedEvent): string => {
  const tenantId = event.metadata?.tenantId;
  if (typeof tenantId !== 'string' || tenantId === '') {
    throw new ReportsError('missing_tenant', `event ${event.id} (${event.type}) has no metadata.tenantId`, { eventId: event.id });
  }
  return tenantId;
};

/** numerator / denominator, or null when the denominator is 0 (a rate of nothing is not 0%). */
export const rate = (numerator: number, denominator: number): number | null => (denominator === 0 ? null : numerator / denominator);

/** Integer division rounded half away from zero (money in minor units stays integer). */
export const divideRounded = (numerator: bigint, denominator: bigint): bigint => {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const q = (2n * n + d) / (2n * d);
  return negative ? -q : q;
};

/** A report period: captures (funnel) or wins (attribution) in [from, to). */
export type Period = { from?: Date; to?: Date };

export const assertPeriod = (period: Period): void => {
  if (period.from && period.to && period.from.getTime() >= period.to.getTime()) {
    throw new ReportsError('invalid_period', '`from` must be before `to`', { from: period.from.toISOString(), to: period.to.toISOString() });
  }
};
