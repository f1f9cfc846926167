import {
  salesSettingsStream, salesTargetStream, salesTeamStream, SalesPipelineEventType, type Money, type SalesSettings, type SalesTeamDefinedData,
} from '@crm/contracts';
import { handleCommand, loadAggregate, type Clock } from '@crm/domain';
import type { EventStore } from '@crm/eventstore';
import { commandOptions, CLOCK, EVENT_STORE, type RequestContext } from '@crm/nest-kit';
import { Inject, Injectable } from '@nestjs/common';
import type { CurrentSalesSettings } from '../../settings/sales-settings.reader';
import { salesSettingsDecider } from '../domain/sales-settings.decider';
import type { SalesTargetScope } from '../domain/sales-target.commands';
import { salesTargetDecider, salesTargetId, type SalesTarget } from '../domain/sales-target.decider';
import { SalesTargetError } from '../domain/sales-target.errors';
import { salesTeamDecider, type SalesTeam } from '../domain/sales-team.decider';
import { SalesTeamError } from '../domain/sales-team.errors';
import { PipelineService } from './pipeline.service';
import { scanTenantStreams } from './stream-scan';

/** Sales settings (`salessettings-<tenant>`), teams (`salesteam-<tenant>-<id>`) and targets (`salestarget-<id>`). */
@Injectable()
export class SalesConfigService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly pipelines: PipelineService,
  ) {}

  /** The settings and their stream revision (-1 while the tenant is on the defaults). */
  async settings(tenantId: string): Promise<{ settings: CurrentSalesSettings; revision: number }> {
    const { state, revision } = await loadAggregate(this.store, salesSettingsStream(tenantId), salesSettingsDecider, tenantId);
    return { settings: { ...state.settings, version: state.version }, revision };
  }

  async changeSettings(ctx: RequestContext, settings: SalesSettings): Promise<{ settings: CurrentSalesSettings; revision: number }> {
    const knownStageIds = await this.pipelines.knownStageIds(ctx.tenantId);
    const { state, revision } = await handleCommand(this.store, salesSettingsStream(ctx.tenantId), salesSettingsDecider,
      { type: 'ChangeSalesSettings', data: { settings, knownStageIds, changedBy: ctx.actor, now: this.clock.now() } }, commandOptions(ctx));
    return { settings: { ...state.settings, version: state.version }, revision };
  }

  async defineTeam(ctx: RequestContext, teamId: string, body: { name: string; managerId: string; memberIds: string[] }): Promise<{ team: SalesTeam; revision: number }> {
    const { state, revision } = await handleCommand(this.store, salesTeamStream(ctx.tenantId, teamId), salesTeamDecider,
      { type: 'DefineSalesTeam', data: { teamId, ...body, now: this.clock.now() } }, commandOptions(ctx));
    if (!state.defined) throw new SalesTeamError('team_not_found', `team ${teamId} does not exist`);
    return { team: state, revision };
  }

  async team(tenantId: string, teamId: string): Promise<{ team: SalesTeam; revision: number }> {
    const { state, revision } = await loadAggregate(this.store, salesTeamStream(tenantId, teamId), salesTeamDecider, tenantId);
    if (!state.defined) throw new SalesTeamError('team_not_found', `team ${teamId} does not exist`);
    return { team: state, revision };
  }

  /**
   * Who a stalled deal escalates to: the manager of the opportunity's team, else of the first
   * team (by id) that lists the owner as a member; undefined when there is none.
   */
  async managerFor(tenantId: string, teamId: string | undefined, ownerId: string): Promise<string | undefined> {
    if (teamId !== undefined) {
      const { state } = await loadAggregate(this.store, salesTeamStream(tenantId, teamId), salesTeamDecider, tenantId);
      if (state.defined) return state.managerId;
    }
    const latest = new Map<string, SalesTeamDefinedData>();
    for (const e of await scanTenantStreams(this.store, tenantId, salesTeamStream(tenantId, ''), SalesPipelineEventType.SalesTeamDefined)) {
      const team = e.data as SalesTeamDefinedData;
      latest.set(team.teamId, team);
    }
    return [...latest.values()].sort((a, b) => (a.teamId < b.teamId ? -1 : 1)).find((t) => t.memberIds.includes(ownerId))?.managerId;
  }

  async setTarget(ctx: RequestContext, body: { scope: SalesTargetScope; period: string; target: Money }): Promise<{ target: SalesTarget; revision: number }> {
    const targetId = salesTargetId(ctx.tenantId, body.scope, body.period);
    const { state, revision } = await handleCommand(this.store, salesTargetStream(targetId), salesTargetDecider,
      { type: 'SetSalesTarget', data: { targetId, ...body, setBy: ctx.actor, now: this.clock.now() } }, commandOptions(ctx));
    if (!state.set) throw new SalesTargetError('target_not_found', `target ${targetId} does not exist`);
    return { target: state, revision };
  }

  async target(tenantId: string, targetId: string): Promise<{ target: SalesTarget; revision: number }> {
    const { state, revision } = await loadAggregate(this.store, salesTargetStream(targetId), salesTargetDecider, tenantId);
    if (!state.set) throw new SalesTargetError('target_not_found', `target ${targetId} does not exist`);
    return { target: state, revision };
  }
}
