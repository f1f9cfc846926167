import { LeadEventType, leadStream, newId, streamId, type EventMetadata, type LeadEvent, type LeadScoringEvent, type RecordedEvent } from '@crm/contracts';
import { ForeignStreamError, TooMuchContentionError, type Clock } from '@crm/domain';
import { WrongExpectedVersionError, type EventStore } from '@crm/eventstore';
import { CLOCK, EVENT_STORE } from '@crm/nest-kit';
import { currentTraceMetadata } from '@crm/observability';
import { Inject, Injectable } from '@nestjs/common';
import { leadRescoreDecider } from '../domain/lead-rescore.decider';
import type { LeadHistoryEvent } from '../domain/rescore';
import type { ScoringRules } from '../domain/scoring-rules';
import { ScoringRulesService } from './scoring-rules.service';

/** Who the score events are attributed to. */
export const SCORING_ACTOR = 'service:leads.scoring';

/** Leads re-scored at once when a tenant's rules change. */
const RESCORE_CONCURRENCY = 8;
const PAGE_SIZE = 1000;
/** Re-reads of a lead whose stream another writer appended to meanwhile. */
const MAX_RESCORE_RETRIES = 10;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Scores leads on the write side: reads a lead's stream, runs the pure model under the
 * tenant's current rules at the clock's `now`, and appends the score events to the lead's
 * stream with the stream's revision as the expected one (re-read and retried on a concurrent
 * write). Re-scoring a lead whose score and hot flag did not change appends nothing.
 */
@Injectable()
export class LeadScoringService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly rules: ScoringRulesService,
  ) {}

  /**
   * Re-scores one lead of the tenant; `cause` is the event that made it necessary (correlation,
   * causation). `rules`: the tenant's rule set when the caller has it (the consumer caches it),
   * else it is read. The lead's stream is read once per attempt: its merges come from the same
   * read, and the score events are appended at its revision (re-read and retried on a
   * concurrent write, as `handleCommand` does).
   */
  async rescoreLead(tenantId: string, leadId: string, cause: Pick<RecordedEvent, 'id' | 'metadata'>, rules?: ScoringRules): Promise<LeadScoringEvent[]> {
    const ruleSet = rules ?? (await this.rules.current(tenantId)).rules;
    const metadata = this.metadata(tenantId, cause);
    const stream = leadStream(leadId);
    for (let attempt = 0; ; attempt++) {
      const history = await this.store.readStream(stream);
      if (history.length === 0) return [];
      if (history[0].metadata.tenantId !== tenantId) throw new ForeignStreamError(stream);
      const absorbed = await this.mergedHistories(tenantId, leadId, history);
      const state = history.reduce(
        (s, e) => leadRescoreDecider.evolve(s, { type: e.type, data: e.data } as LeadHistoryEvent),
        leadRescoreDecider.initialState(),
      );
      const decided = leadRescoreDecider.decide(
        { type: 'RescoreLead', data: { leadId, rules: ruleSet, now: this.clock.now(), ...(absorbed.length > 0 && { absorbed }) } },
        state,
      );
      if (decided.length === 0) return [];
      try {
        await this.store.appendToStream(stream, decided.map((e) => ({ id: newId(), type: e.type, data: e.data, metadata })), {
          expectedState: history[history.length - 1].revision,
        });
        return decided.map(({ type, data }) => ({ type, data }) as LeadScoringEvent);
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        if (attempt >= MAX_RESCORE_RETRIES) throw new TooMuchContentionError(stream, attempt + 1);
        await pause(Math.random() * Math.min(100, 2 ** attempt * 5));
      }
    }
  }

  /**
   * The histories of the leads merged into this one, and of those merged into them: the
   * survivor takes over their touchpoints. A merge appends `LeadsMerged` on the survivor, which
   * triggers this re-score. `own` is the survivor's history, already read.
   */
  private async mergedHistories(tenantId: string, leadId: string, own: readonly RecordedEvent[]): Promise<LeadEvent[]> {
    const seen = new Set([leadId]);
    const absorbed: LeadEvent[] = [];
    const queue: string[] = [];
    const follow = (history: readonly RecordedEvent[]) => {
      for (const event of history) {
        if (event.type !== LeadEventType.LeadsMerged) continue;
        const { mergedId } = event.data as { mergedId: string };
        if (!seen.has(mergedId)) {
          seen.add(mergedId);
          queue.push(mergedId);
        }
      }
    };
    follow(own);
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      const history = await this.store.readStream(leadStream(id));
      if (history.length === 0 || history[0].metadata.tenantId !== tenantId) continue;
      for (const event of history) absorbed.push({ type: event.type, data: event.data } as LeadEvent);
      follow(history);
    }
    return absorbed;
  }

  /**
   * Re-scores every lead of the tenant from its history (after a rule change), a few at a
   * time. Every lead is attempted; when some failed, the first error is thrown afterwards
   * (a retry re-scores all of them again, which changes nothing for those already done).
   */
  async rescoreTenant(tenantId: string, cause: Pick<RecordedEvent, 'id' | 'metadata'>): Promise<{ leads: number; rescored: number }> {
    const leadIds = await this.leadIdsOf(tenantId);
    const { rules } = await this.rules.current(tenantId);
    const queue = [...leadIds];
    let rescored = 0;
    const failures: unknown[] = [];
    const worker = async () => {
      for (let leadId = queue.shift(); leadId !== undefined; leadId = queue.shift()) {
        try {
          if ((await this.rescoreLead(tenantId, leadId, cause, rules)).length > 0) rescored++;
        } catch (error) {
          failures.push(error);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(RESCORE_CONCURRENCY, queue.length) }, worker));
    if (failures.length > 0) throw failures[0];
    return { leads: leadIds.length, rescored };
  }

  /**
   * The tenant's leads: `$all` filtered to `leads.LeadCaptured`, kept when the event's tenant
   * is this one. A scan of every tenant's captures; a per-tenant lead index is the next step
   * when that grows large.
   */
  async leadIdsOf(tenantId: string): Promise<string[]> {
    const ids = new Set<string>();
    for (let after: bigint | undefined; ; ) {
      const page = await this.store.readAll({ after, filter: { eventTypes: [LeadEventType.LeadCaptured] }, maxCount: PAGE_SIZE });
      for (const event of page) if (event.metadata.tenantId === tenantId) ids.add(streamId(event.streamName));
      if (page.length < PAGE_SIZE) return [...ids];
      after = page[page.length - 1].position;
    }
  }

  private metadata(tenantId: string, cause: Pick<RecordedEvent, 'id' | 'metadata'>): EventMetadata {
    return {
      tenantId,
      actor: SCORING_ACTOR,
      correlationId: cause.metadata.correlationId,
      causationId: cause.id,
      ...currentTraceMetadata(),
    };
  }
}
