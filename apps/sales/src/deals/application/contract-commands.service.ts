import { contractNumberStream, contractStream, idFromKey, newId, opportunityStream, quoteStream, type ContractEvent } from '@crm/contracts';
import { handleCommand, loadAggregate, type Clock, type CommandResult } from '@crm/domain';
import type { EventStore } from '@crm/eventstore';
import { commandMetadata, commandOptions, CLOCK, EVENT_STORE, type RequestContext } from '@crm/nest-kit';
import { Inject, Injectable } from '@nestjs/common';
import { resolveRecord } from '../../customers/application/customer-records';
import type { ExistingAccount } from '../../customers/domain/account.decider';
import type { ExistingContact } from '../../customers/domain/contact.decider';
import { opportunityDecider } from '../../pipeline/domain/opportunity.decider';
import { readSalesSettings } from '../../settings/sales-settings.reader';
import { contractNumberDecider } from '../domain/contract-number.decider';
import type { AccountSnapshot, ContactSnapshot, ContractCommand, ContractSchedule, ContractSource } from '../domain/contract.commands';
import { contractDecider, contractTerms, type ContractState, type ExistingContract } from '../domain/contract.decider';
import { ContractError } from '../domain/contract.errors';
import type { InstallmentPlan } from '../domain/installments';
import { quoteDecider } from '../domain/quote.decider';
import type { CancelContractBody, DraftContractBody, InstallmentsBody, SignContractBody } from '../http/contract.dto';

type Result = CommandResult<ContractEvent, ContractState>;

const toPlan = (installments: InstallmentsBody | undefined): InstallmentPlan => {
  if (installments === undefined) return { kind: 'single' };
  if (Array.isArray(installments)) return { kind: 'explicit', installments };
  return { kind: 'even', ...installments };
};

@Injectable()
export class ContractCommandsService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Drafts a contract from an accepted quote or directly. The terms are checked before a number
   * is taken, so a refused draft leaves no gap in the tenant's sequence.
   */
  async draft(ctx: RequestContext, body: DraftContractBody): Promise<Result & { contractId: string }> {
    const now = this.clock.now();
    const schedule: ContractSchedule = {
      startDate: body.startDate,
      ...(body.endDate !== undefined && { endDate: body.endDate }),
      installments: toPlan(body.installments),
    };
    let source: ContractSource;
    let contractId: string;
    if ('quoteId' in body) {
      const { state } = await loadAggregate(this.store, quoteStream(body.quoteId), quoteDecider, ctx.tenantId);
      source = { kind: 'quote', quoteId: body.quoteId, quote: state };
      // One contract per quote: its id comes from the quote, so a second draft is a 409 and a retry replays.
      contractId = idFromKey(ctx.tenantId, 'quote-contract', body.quoteId);
    } else {
      const settings = await readSalesSettings(this.store, ctx.tenantId);
      source = {
        kind: 'direct',
        accountId: body.accountId,
        ...(body.opportunityId !== undefined && { opportunityId: body.opportunityId }),
        currency: body.currency ?? settings.defaultCurrency,
        lines: body.lines,
        taxMinor: body.taxMinor,
      };
      contractId = ctx.idempotencyKey ? idFromKey(ctx.tenantId, 'contract', ctx.idempotencyKey) : newId();
    }

    const { state } = await loadAggregate(this.store, contractStream(contractId), contractDecider, ctx.tenantId);
    let contractNumber: string;
    if (state.status !== 'none') {
      // Already drafted: handleCommand replays a retry or refuses a second draft; no new number.
      contractNumber = state.contractNumber;
    } else {
      contractTerms(source, schedule);
      contractNumber = await this.allocateNumber(ctx, contractId, now);
    }
    const result = await this.run(ctx, contractId, {
      type: 'DraftContract',
      data: {
        contractId,
        contractNumber,
        ownerId: body.ownerId ?? ctx.actor,
        ...(body.contactId !== undefined && { contactId: body.contactId }),
        source,
        schedule,
        now,
      },
    });
    return { ...result, contractId };
  }

  /**
   * Looks the customer up (account name, primary contact) so the signed event carries all billing
   * and service need: through the customers' own reader, which follows merges to the survivor.
   */
  async sign(ctx: RequestContext, contractId: string, body: SignContractBody): Promise<Result> {
    const { state } = await loadAggregate(this.store, contractStream(contractId), contractDecider, ctx.tenantId);
    let account: AccountSnapshot | undefined;
    let contact: ContactSnapshot | undefined;
    if (state.status === 'drafted') {
      account = await resolveRecord(this.store, ctx.tenantId, 'account', state.accountId) as ExistingAccount | undefined;
      const contactId = state.contactId ?? (state.opportunityId !== undefined ? await this.opportunityContactId(ctx.tenantId, state.opportunityId) : undefined);
      if (contactId !== undefined) contact = await resolveRecord(this.store, ctx.tenantId, 'contact', contactId) as ExistingContact | undefined;
    }
    return this.run(ctx, contractId, {
      type: 'SignContract',
      data: {
        contractId,
        signedBy: ctx.actor,
        ...(body.customerSignatory !== undefined && { customerSignatory: body.customerSignatory }),
        ...(account && { account }),
        ...(contact && { contact }),
        now: this.clock.now(),
      },
    });
  }

  cancel(ctx: RequestContext, contractId: string, body: CancelContractBody): Promise<Result> {
    return this.run(ctx, contractId, { type: 'CancelContract', data: { contractId, reason: body.reason, now: this.clock.now() } });
  }

  async get(ctx: RequestContext, contractId: string): Promise<{ state: ExistingContract; revision: number }> {
    const { state, revision } = await loadAggregate(this.store, contractStream(contractId), contractDecider, ctx.tenantId);
    if (state.status === 'none') throw new ContractError('contract_not_found', `contract ${contractId} does not exist`);
    return { state, revision };
  }

  /**
   * The next number of the tenant's yearly sequence, appended with the stream's expected
   * revision (a concurrent draft makes handleCommand re-read and retry, never reuse a number).
   * Allocation is idempotent per contract, so a retried draft keeps its number.
   */
  private async allocateNumber(ctx: RequestContext, contractId: string, now: Date): Promise<string> {
    const year = now.getUTCFullYear();
    const { state } = await handleCommand(
      this.store,
      contractNumberStream(ctx.tenantId, year),
      contractNumberDecider,
      { type: 'AllocateContractNumber', data: { contractId, year, now } },
      { metadata: commandMetadata(ctx) },
    );
    const number = state.byContract.get(contractId);
    if (number === undefined) throw new Error(`no contract number was allocated for ${contractId}`);
    return number;
  }

  /** The contact the contract's opportunity names, if any. */
  private async opportunityContactId(tenantId: string, opportunityId: string): Promise<string | undefined> {
    const { state } = await loadAggregate(this.store, opportunityStream(opportunityId), opportunityDecider, tenantId);
    return state.status === 'none' ? undefined : state.contactId;
  }

  private run(ctx: RequestContext, contractId: string, command: ContractCommand): Promise<Result> {
    return handleCommand(this.store, contractStream(contractId), contractDecider, command, commandOptions(ctx));
  }
}
