import type { ExistingContract } from '../domain/contract.decider';
import type { ContractCommandResponse, ContractResponse } from './contract.dto';

export const contractSummary = (c: ExistingContract, revision: number): ContractCommandResponse => ({
  id: c.contractId,
  contractNumber: c.contractNumber,
  status: c.status,
  revision,
});

/** The contract served by GET /v1/contracts/{id}. */
export const contractView = (c: ExistingContract, revision: number): ContractResponse => {
  const { contractId: _, contractNumber: __, status: ___, ...rest } = c;
  return { ...contractSummary(c, revision), ...rest };
};
