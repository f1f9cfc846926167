import { accountStream, idFromKey, newId, type AccountEvent } from '@crm/contracts';
import { handleCommand, loadAggregate, type Clock, type CommandResult } from '@crm/domain';
import type { EventStore } from '@crm/eventstore';
import { commandMetadata, commandOptions, CLOCK, EVENT_STORE, type RequestContext } from '@crm/nest-kit';
import { Inject, Injectable } from '@nestjs/common';
import type { AccountCommand } from '../domain/account.commands';
import { accountDecider, type AccountState, type ExistingAccount } from '../domain/account.decider';
import { CustomerError } from '../domain/customer.errors';
import { accountMatchKeys, keyChanges } from '../domain/match-keys';
import { applyChanges } from '../domain/profile-changes';
import type { CheckAccountDuplicatesBody, CreateAccountBody, UpdateAccountBody } from '../http/account.dto';
import { loadRecord } from './customer-records';
import { MatchKeyIndex, type IndexScope } from './match-key-index';
import { mergeRecords, type MergeSpec } from './record-merge';

type Result = CommandResult<AccountEvent, AccountState>;

const MERGE: MergeSpec<AccountCommand, AccountEvent, AccountState> = {
  kind: 'account',
  decider: accountDecider,
  stream: accountStream,
  mergeInto: (data) => ({ type: 'MergeAccountInto', data }),
  absorb: (data) => ({ type: 'AbsorbAccount', data }),
};

@Injectable()
export class AccountCommandsService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly index: MatchKeyIndex,
  ) {}

  /**
   * Claims the account's match keys, then appends `AccountCreated`. A retry with the same
   * Idempotency-Key addresses the same account, finds the keys already its own and the create
   * already in the stream, and so converges whichever step the first attempt stopped after.
   */
  async create(ctx: RequestContext, { onDuplicate, ...profile }: CreateAccountBody): Promise<Result & { accountId: string }> {
    const accountId = ctx.idempotencyKey ? idFromKey(ctx.tenantId, 'account', ctx.idempotencyKey) : newId();
    const alreadyCreated = ctx.idempotencyKey !== undefined && (await loadRecord(this.store, ctx.tenantId, 'account', accountId)) !== undefined;
    if (!alreadyCreated) {
      const keys = accountMatchKeys(profile);
      if (onDuplicate === 'create') await this.index.claimFree(this.scope(ctx), 'account', keys, accountId, 'created');
      else await this.index.claimAll(this.scope(ctx), 'account', keys, accountId, 'created');
    }
    const result = await this.run(ctx, accountId, { type: 'CreateAccount', data: { accountId, ...profile, now: this.clock.now() } });
    return { ...result, accountId };
  }

  /**
   * Changes the profile. A change that gives the account another record's e-mail, phone or
   * company name is a 409 (unless `onDuplicate: "allow"`); afterwards the new keys are claimed
   * and the dropped ones released.
   */
  async update(ctx: RequestContext, accountId: string, { onDuplicate, ...changes }: UpdateAccountBody): Promise<Result> {
    const { state } = await this.get(ctx, accountId);
    const before = accountMatchKeys(state);
    if (onDuplicate === 'reject' && state.status === 'active') {
      await this.index.assertFree(ctx.tenantId, 'account', keyChanges(before, accountMatchKeys(applyChanges(state, changes))).added, accountId);
    }
    const result = await this.run(ctx, accountId, { type: 'UpdateAccount', data: { accountId, changes, now: this.clock.now() } });
    const after = accountMatchKeys(result.state as ExistingAccount);
    await this.index.claimFree(this.scope(ctx), 'account', after, accountId, 'updated');
    await this.index.release(this.scope(ctx), 'account', keyChanges(before, after).removed, accountId);
    return result;
  }

  merge(ctx: RequestContext, survivorId: string, mergedId: string): Promise<Result> {
    return mergeRecords(this.store, MERGE, ctx, survivorId, mergedId, this.clock.now());
  }

  /** Existing accounts the given profile would duplicate; writes nothing. */
  duplicates(ctx: RequestContext, profile: CheckAccountDuplicatesBody) {
    return this.index.matches(ctx.tenantId, 'account', accountMatchKeys(profile));
  }

  async get(ctx: RequestContext, accountId: string): Promise<{ state: ExistingAccount; revision: number }> {
    const { state, revision } = await loadAggregate(this.store, accountStream(accountId), accountDecider, ctx.tenantId);
    if (state.status === 'none') throw new CustomerError('account_not_found', `account ${accountId} does not exist`);
    return { state, revision };
  }

  private scope(ctx: RequestContext): IndexScope {
    return { tenantId: ctx.tenantId, metadata: commandMetadata(ctx) };
  }

  private run(ctx: RequestContext, accountId: string, command: AccountCommand): Promise<Result> {
    return handleCommand(this.store, accountStream(accountId), accountDecider, command, commandOptions(ctx));
  }
}
