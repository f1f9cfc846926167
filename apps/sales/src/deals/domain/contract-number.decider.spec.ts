import { SalesDealEventType as E, type ContractNumberEvent } from '@crm/contracts';
import { DeciderSpecification } from '@crm/domain';
import { contractNumberDecider, formatContractNumber } from './contract-number.decider';

const given = DeciderSpecification.for(contractNumberDecider);
const now = new Date('2026-11-02T09:00:00.000Z');
const allocated = (contractId: string, sequence: number): ContractNumberEvent => ({
  type: E.ContractNumberAllocated,
  data: { contractId, contractNumber: formatContractNumber(2026, sequence), year: 2026, sequence, allocatedAt: now.toISOString() },
});
const allocate = (contractId: string) => ({ type: 'AllocateContractNumber' as const, data: { contractId, year: 2026, now } });

describe('Contract number sequence', () => {
  it('starts at C-<year>-000001', () => given([]).when(allocate('c1')).then([allocated('c1', 1)]));
  it('takes the next number', () => given([allocated('c1', 1), allocated('c2', 2)]).when(allocate('c3')).then([allocated('c3', 3)]));
  it('keeps a contract’s number: allocating again appends nothing', () =>
    given([allocated('c1', 1), allocated('c2', 2)]).when(allocate('c1')).thenState((s) => expect([s.last, s.byContract.get('c1')]).toEqual([2, 'C-2026-000001'])));
  it('pads to six digits and grows past them', () => {
    expect(formatContractNumber(2026, 42)).toBe('C-2026-000042');
    expect(formatContractNumber(2026, 1_234_567)).toBe('C-2026-1234567');
  });
});
