import { CampaignEventType, eventSchemas, type CampaignEvent, type CampaignVariant } from '@crm/contracts';
import { DeciderSpecification } from '@crm/domain';
import type { EngagementInput } from './campaign.commands';
import { campaignDecider, type ExistingCampaign } from './campaign.decider';
import { variantFor } from './variant-split';

const given = DeciderSpecification.for(campaignDecider);
const now = new Date('2026-04-01T08:00:00.000Z');
const at = now.toISOString();
const campaignId = '0190bbbb-0000-7000-8000-000000000001';
const lead = (n: number) => `0190aaaa-0000-7000-8000-${String(n).padStart(12, '0')}`;
const cny = (amountMinor: number) => ({ amountMinor, currency: 'CNY' });

const created: CampaignEvent = {
  type: CampaignEventType.CampaignCreated,
  data: { campaignId, name: 'Spring webinar', channel: 'email', budget: cny(1_000_000), startsOn: '2026-04-01', endsOn: '2026-04-30', createdAt: at },
};
const ab: CampaignVariant[] = [{ key: 'A', weight: 1, subject: 'Hello' }, { key: 'B', weight: 1, contentRef: 'tpl-2' }];
const variantsDefined: CampaignEvent = { type: CampaignEventType.VariantsDefined, data: { campaignId, variants: ab, definedAt: at } };
const started: CampaignEvent = { type: CampaignEventType.CampaignStarted, data: { campaignId, startedAt: at } };
const completed: CampaignEvent = { type: CampaignEventType.CampaignCompleted, data: { campaignId, completedAt: at } };
const cancelled: CampaignEvent = { type: CampaignEventType.CampaignCancelled, data: { campaignId, cancelledAt: at } };
const cost = (costEntryId: string, amountMinor: number, totalMinor: number): CampaignEvent => ({
  type: CampaignEventType.CostRecorded,
  data: { campaignId, costEntryId, amount: cny(amountMinor), incurredOn: '2026-04-02', totalCost: cny(totalMinor), recordedAt: at },
});
const exceeded = (totalMinor: number, budgetMinor = 1_000_000): CampaignEvent => ({
  type: CampaignEventType.BudgetExceeded,
  data: { campaignId, budget: cny(budgetMinor), totalCost: cny(totalMinor), overspendMinor: totalMinor - budgetMinor, exceededAt: at },
});
const engagement = (engagementId: string, leadId: string, kind: EngagementInput['kind'], variant: string | null = variantFor(campaignId, leadId, ab)): CampaignEvent => ({
  type: CampaignEventType.EngagementRecorded,
  data: { campaignId, engagementId, leadId, kind, variant, at: '2026-04-02T09:00:00.000Z', recordedAt: at },
});
const engage = (...engagements: EngagementInput[]) => ({ type: 'RecordCampaignEngagement' as const, data: { campaignId, engagements, now } });
const input = (engagementId: string, leadId: string, kind: EngagementInput['kind']): EngagementInput => ({ engagementId, leadId, kind, at: '2026-04-02T09:00:00.000Z' });
const state = (check: (c: ExistingCampaign) => void) => (s: { status: string }) => {
  expect(s.status).not.toBe('none');
  check(s as ExistingCampaign);
};

describe('Campaign decider', () => {
  describe('CreateCampaign', () => {
    const create = (over: Partial<{ startsOn: string; endsOn: string; amountMinor: number }> = {}) => ({
      type: 'CreateCampaign' as const,
      data: { campaignId, name: 'Spring webinar', channel: 'email' as const, budget: cny(over.amountMinor ?? 1_000_000), startsOn: over.startsOn ?? '2026-04-01', endsOn: over.endsOn ?? '2026-04-30', now },
    });
    it('creates a draft campaign with its channel, budget and dates', () => given([]).when(create()).then([created]));
    it('allows a one-day campaign (ends on the day it starts)', () =>
      given([]).when(create({ endsOn: '2026-04-01' })).thenState(state((c) => expect([c.status, c.startsOn, c.endsOn]).toEqual(['draft', '2026-04-01', '2026-04-01']))));
    it('refuses an end before the start', () => given([]).when(create({ endsOn: '2026-03-31' })).thenThrows('invalid_dates'));
    it('refuses a fractional or negative budget (money is integer minor units)', () => {
      given([]).when(create({ amountMinor: 10.5 })).thenThrows('invalid_amount');
      given([]).when(create({ amountMinor: -1 })).thenThrows('invalid_amount');
    });
    it('refuses a second create of the same campaign', () => given([created]).when(create()).thenThrows('campaign_already_exists'));
  });

  describe('UpdateCampaign', () => {
    const update = (data: Partial<{ name: string; startsOn: string; endsOn: string; budget: { amountMinor: number; currency: string } }>) => ({
      type: 'UpdateCampaign' as const,
      data: { campaignId, ...data, now },
    });
    it('records only the fields that changed', () =>
      given([created]).when(update({ name: 'Spring webinar 2', startsOn: '2026-04-01', endsOn: '2026-05-15' })).then([
        { type: CampaignEventType.CampaignUpdated, data: { campaignId, name: 'Spring webinar 2', endsOn: '2026-05-15', updatedAt: at } },
      ]));
    it('does nothing when nothing changes', () => given([created]).when(update({ name: 'Spring webinar', budget: cny(1_000_000) })).thenNothingHappened());
    it('checks the dates as merged with the current ones', () => given([created]).when(update({ startsOn: '2026-05-01' })).thenThrows('invalid_dates'));
    it('refuses an unknown campaign', () => given([]).when(update({ name: 'x' })).thenThrows('campaign_not_found'));
    it('refuses changes to a completed or cancelled campaign', () => {
      given([created, started, completed]).when(update({ name: 'x' })).thenThrows('campaign_closed');
      given([created, cancelled]).when(update({ name: 'x' })).thenThrows('campaign_closed');
    });
    it('may change the budget currency only while no cost is recorded', () => {
      given([created]).when(update({ budget: { amountMinor: 500, currency: 'USD' } })).then([
        { type: CampaignEventType.CampaignUpdated, data: { campaignId, budget: { amountMinor: 500, currency: 'USD' }, updatedAt: at } },
      ]);
      given([created, cost('c1', 100, 100)]).when(update({ budget: { amountMinor: 500, currency: 'USD' } })).thenThrows('currency_mismatch');
    });
    it('flags the budget as exceeded when it is lowered below what has been spent', () =>
      given([created, cost('c1', 600_000, 600_000)]).when(update({ budget: cny(500_000) })).then([
        { type: CampaignEventType.CampaignUpdated, data: { campaignId, budget: cny(500_000), updatedAt: at } },
        exceeded(600_000, 500_000),
      ]));
    it('raising the budget above the spend clears the flag, and a later crossing flags again', () => {
      const raised: CampaignEvent = { type: CampaignEventType.CampaignUpdated, data: { campaignId, budget: cny(2_000_000), updatedAt: at } };
      const history = [created, cost('c1', 1_200_000, 1_200_000), exceeded(1_200_000), raised];
      given(history).when(update({ name: 'n' })).thenState(state((c) => expect(c.budgetExceeded).toBe(false)));
      given(history)
        .when({ type: 'AddCostEntry', data: { campaignId, costEntryId: 'c2', amount: cny(900_000), incurredOn: '2026-04-03', now } })
        .then([
          { type: CampaignEventType.CostRecorded, data: { campaignId, costEntryId: 'c2', amount: cny(900_000), incurredOn: '2026-04-03', totalCost: cny(2_100_000), recordedAt: at } },
          exceeded(2_100_000, 2_000_000),
        ]);
    });
  });

  describe('AddCostEntry', () => {
    const add = (costEntryId: string, amountMinor: number, over: Partial<{ currency: string; incurredOn: string; note: string }> = {}) => ({
      type: 'AddCostEntry' as const,
      data: { campaignId, costEntryId, amount: { amountMinor, currency: over.currency ?? 'CNY' }, incurredOn: over.incurredOn ?? '2026-04-02', ...(over.note !== undefined && { note: over.note }), now },
    });
    it('records a cost with the running total', () =>
      given([created, cost('c1', 100_000, 100_000)]).when(add('c2', 25_000, { note: 'Baidu ads' })).then([
        { type: CampaignEventType.CostRecorded, data: { campaignId, costEntryId: 'c2', amount: cny(25_000), incurredOn: '2026-04-02', note: 'Baidu ads', totalCost: cny(125_000), recordedAt: at } },
      ]));
    it('is idempotent by cost entry id', () => given([created, cost('c1', 100_000, 100_000)]).when(add('c1', 100_000)).thenNothingHappened());
    it('refuses a reused id with a different amount or date', () => {
      given([created, cost('c1', 100_000, 100_000)]).when(add('c1', 100_001)).thenThrows('cost_entry_conflict');
      given([created, cost('c1', 100_000, 100_000)]).when(add('c1', 100_000, { incurredOn: '2026-04-03' })).thenThrows('cost_entry_conflict');
    });
    it('refuses a cost in another currency than the budget', () => given([created]).when(add('c1', 100, { currency: 'USD' })).thenThrows('currency_mismatch'));
    it('refuses zero, negative and fractional amounts', () => {
      given([created]).when(add('c1', 0)).thenThrows('invalid_amount');
      given([created]).when(add('c1', -5)).thenThrows('invalid_amount');
      given([created]).when(add('c1', 0.5)).thenThrows('invalid_amount');
    });
    it('allows overspend but flags it once: BudgetExceeded when the total first goes above the budget', () => {
      given([created, cost('c1', 900_000, 900_000)]).when(add('c2', 100_000)).then([cost('c2', 100_000, 1_000_000)]);
      given([created, cost('c1', 900_000, 900_000)]).when(add('c2', 100_001)).then([cost('c2', 100_001, 1_000_001), exceeded(1_000_001)]);
      given([created, cost('c1', 1_000_001, 1_000_001), exceeded(1_000_001)]).when(add('c2', 5)).then([cost('c2', 5, 1_000_006)]);
    });
    it('accepts late costs on completed and cancelled campaigns (invoices arrive late)', () => {
      given([created, started, completed]).when(add('c1', 10)).then([cost('c1', 10, 10)]);
      given([created, cancelled]).when(add('c1', 10)).then([cost('c1', 10, 10)]);
    });
    it('refuses an unknown campaign', () => given([]).when(add('c1', 10)).thenThrows('campaign_not_found'));
  });

  describe('DefineVariants', () => {
    const define = (variants: CampaignVariant[]) => ({ type: 'DefineVariants' as const, data: { campaignId, variants, now } });
    it('defines the A/B variants and their weights', () => given([created]).when(define(ab)).then([variantsDefined]));
    it('may redefine them after the start while no lead has been assigned', () =>
      given([created, variantsDefined, started]).when(define([{ key: 'A', weight: 3 }, { key: 'B', weight: 1 }])).then([
        { type: CampaignEventType.VariantsDefined, data: { campaignId, variants: [{ key: 'A', weight: 3 }, { key: 'B', weight: 1 }], definedAt: at } },
      ]));
    it('does nothing when the same variants are defined again', () => given([created, variantsDefined]).when(define(ab)).thenNothingHappened());
    it('freezes the split once a lead has been assigned a variant', () =>
      given([created, variantsDefined, started, engagement('e1', lead(1), 'sent')]).when(define([{ key: 'A', weight: 9 }, { key: 'B', weight: 1 }])).thenThrows('variants_frozen'));
    it.each([
      ['no variants', []],
      ['duplicate keys', [{ key: 'A', weight: 1 }, { key: 'A', weight: 2 }]],
      ['a zero weight', [{ key: 'A', weight: 0 }]],
      ['a fractional weight', [{ key: 'A', weight: 1.5 }]],
      ['27 variants', Array.from({ length: 27 }, (_, i) => ({ key: `V${i}`, weight: 1 }))],
    ])('refuses %s', (_, variants) => given([created]).when(define(variants)).thenThrows('invalid_variants'));
    it('refuses closed campaigns', () => given([created, cancelled]).when(define(ab)).thenThrows('campaign_closed'));
  });

  describe('Start / Complete / Cancel', () => {
    const start = { type: 'StartCampaign' as const, data: { campaignId, now } };
    const complete = { type: 'CompleteCampaign' as const, data: { campaignId, now } };
    const cancel = (reason?: string) => ({ type: 'CancelCampaign' as const, data: { campaignId, ...(reason !== undefined && { reason }), now } });
    it('draft → running → completed', () => {
      given([created]).when(start).then([started]);
      given([created, started]).when(complete).then([completed]);
    });
    it('draft or running → cancelled, with an optional reason', () => {
      given([created]).when(cancel()).then([cancelled]);
      given([created, started]).when(cancel('budget cut')).then([{ type: CampaignEventType.CampaignCancelled, data: { campaignId, reason: 'budget cut', cancelledAt: at } }]);
    });
    it('repeating the transition to the current status does nothing', () => {
      given([created, started]).when(start).thenNothingHappened();
      given([created, started, completed]).when(complete).thenNothingHappened();
      given([created, cancelled]).when(cancel()).thenNothingHappened();
    });
    it('refuses to complete a campaign that never started', () => given([created]).when(complete).thenThrows('campaign_not_started'));
    it('refuses to leave a closed status', () => {
      given([created, started, completed]).when(start).thenThrows('campaign_closed');
      given([created, started, completed]).when(cancel()).thenThrows('campaign_closed');
      given([created, cancelled]).when(start).thenThrows('campaign_closed');
      given([created, cancelled]).when(complete).thenThrows('campaign_closed');
    });
    it('refuses an unknown campaign', () => {
      given([]).when(start).thenThrows('campaign_not_found');
      given([]).when(complete).thenThrows('campaign_not_found');
      given([]).when(cancel()).thenThrows('campaign_not_found');
    });
  });

  describe('RecordCampaignEngagement', () => {
    const running = [created, variantsDefined, started];
    it('records each engagement with the lead’s variant from the deterministic split', () =>
      given(running).when(engage(input('e1', lead(1), 'sent'), input('e2', lead(2), 'sent'))).then([
        engagement('e1', lead(1), 'sent', variantFor(campaignId, lead(1), ab)),
        engagement('e2', lead(2), 'sent', variantFor(campaignId, lead(2), ab)),
      ]));
    it('keeps a lead’s recorded variant', () => {
      // A lead recorded under B stays in B whatever the split says.
      const other = variantFor(campaignId, lead(1), ab) === 'A' ? 'B' : 'A';
      given([...running, engagement('e1', lead(1), 'sent', other)]).when(engage(input('e2', lead(1), 'opened'))).then([engagement('e2', lead(1), 'opened', other)]);
    });
    it('records a null variant when the campaign has no variants', () =>
      given([created, started]).when(engage(input('e1', lead(1), 'sent'))).then([engagement('e1', lead(1), 'sent', null)]));
    it('is idempotent by engagement id, across and within batches', () =>
      given([...running, engagement('e1', lead(1), 'sent')]).when(engage(input('e1', lead(1), 'sent'), input('e2', lead(2), 'sent'), input('e2', lead(2), 'sent'))).then([
        engagement('e2', lead(2), 'sent'),
      ]));
    it('refuses engagement before the campaign starts', () => given([created, variantsDefined]).when(engage(input('e1', lead(1), 'sent'))).thenThrows('campaign_not_started'));
    it('accepts late engagement on completed and cancelled campaigns', () => {
      given([...running, completed]).when(engage(input('e1', lead(1), 'converted'))).then([engagement('e1', lead(1), 'converted')]);
      given([...running, cancelled]).when(engage(input('e1', lead(1), 'opened'))).then([engagement('e1', lead(1), 'opened')]);
    });
    it('refuses an unknown campaign', () => given([]).when(engage(input('e1', lead(1), 'sent'))).thenThrows('campaign_not_found'));
    it('counts distinct leads per kind, per variant and in total', () => {
      const leads = Array.from({ length: 40 }, (_, i) => lead(i + 1));
      const inputs = leads.flatMap((l, i) => [
        input(`s-${i}`, l, 'sent'),
        input(`s2-${i}`, l, 'sent'), // a second send to the same lead counts once
        ...(i % 2 === 0 ? [input(`o-${i}`, l, 'opened')] : []),
        ...(i % 4 === 0 ? [input(`c-${i}`, l, 'clicked')] : []),
        ...(i % 8 === 0 ? [input(`v-${i}`, l, 'converted')] : []),
      ]);
      const expected = { A: { sent: 0, opened: 0, clicked: 0, converted: 0 }, B: { sent: 0, opened: 0, clicked: 0, converted: 0 } };
      leads.forEach((l, i) => {
        const v = expected[variantFor(campaignId, l, ab) as 'A' | 'B'];
        v.sent++;
        if (i % 2 === 0) v.opened++;
        if (i % 4 === 0) v.clicked++;
        if (i % 8 === 0) v.converted++;
      });
      given(running).when(engage(...inputs)).thenState(state((c) => {
        expect(Object.fromEntries(c.variantCounts)).toEqual(expected);
        expect(c.totals).toEqual({ sent: 40, opened: 20, clicked: 10, converted: 5 });
        expect(c.engagementIds.size).toBe(inputs.length);
      }));
    });
  });

  it('emits only events that match their published schemas', () => {
    const samples: CampaignEvent[] = [
      created, variantsDefined, started, completed, cancelled, cost('c1', 5, 5), exceeded(1_000_001),
      engagement('e1', lead(1), 'clicked'), engagement('e2', lead(2), 'sent', null),
      { type: CampaignEventType.CampaignUpdated, data: { campaignId, name: 'n', budget: cny(1), startsOn: '2026-04-02', endsOn: '2026-04-03', updatedAt: at } },
    ];
    expect(new Set(samples.map((e) => e.type))).toEqual(new Set(Object.values(CampaignEventType)));
    for (const e of samples) expect(eventSchemas[e.type].data.safeParse(e.data)).toMatchObject({ success: true });
  });
});
