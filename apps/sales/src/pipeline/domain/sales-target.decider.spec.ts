import { eventSchemas, SalesPipelineEventType } from '@crm/contracts';
import { DeciderSpecification } from '@crm/domain';
import { salesTargetDecider, salesTargetId, type SalesTargetEvent } from './sales-target.decider';

const given = DeciderSpecification.for(salesTargetDecider);
const now = new Date('2026-11-02T09:00:00.000Z');
const scope = { kind: 'rep' as const, id: 'rep-1' };
const targetId = salesTargetId('acme', scope, '2026-Q4');
const set = (amountMinor: number) => ({ type: 'SetSalesTarget' as const, data: { targetId, scope, period: '2026-Q4', target: { amountMinor, currency: 'CNY' }, setBy: 'mgr-1', now } });
const wasSet = (amountMinor: number): SalesTargetEvent => ({
  type: SalesPipelineEventType.SalesTargetSet,
  data: { targetId, scope, period: '2026-Q4', target: { amountMinor, currency: 'CNY' }, setBy: 'mgr-1', setAt: now.toISOString() },
});

describe('Sales target decider', () => {
  it('sets a target, and setting it again replaces it', () => {
    given([]).when(set(100_000_00)).then([wasSet(100_000_00)]);
    given([wasSet(100_000_00)]).when(set(120_000_00)).then([wasSet(120_000_00)]);
  });
  it('does nothing when the amount is unchanged', () => given([wasSet(5)]).when(set(5)).thenNothingHappened());
  it('refuses negative or fractional amounts', () => {
    given([]).when(set(-1)).thenThrows('invalid_amount');
    given([]).when(set(1.5)).thenThrows('invalid_amount');
  });
  it('one id per tenant, scope and period', () => {
    expect(salesTargetId('acme', scope, '2026-Q4')).toBe(targetId);
    expect(salesTargetId('acme', scope, '2026-11')).not.toBe(targetId);
    expect(salesTargetId('acme', { kind: 'team', id: 'rep-1' }, '2026-Q4')).not.toBe(targetId);
    expect(salesTargetId('other', scope, '2026-Q4')).not.toBe(targetId);
  });
  it('emits events that match the published schema', () =>
    expect(eventSchemas[SalesPipelineEventType.SalesTargetSet].data.safeParse(wasSet(1).data)).toMatchObject({ success: true }));
});
