/** Defines or redefines a sales team: its manager (who stalled deals escalate to) and members. */
export type DefineSalesTeam = {
  type: 'DefineSalesTeam';
  data: { teamId: string; name: string; managerId: string; memberIds: readonly string[]; now: Date };
};

export type SalesTeamCommand = DefineSalesTeam;
