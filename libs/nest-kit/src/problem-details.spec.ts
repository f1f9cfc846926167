import { DomainError } from '@crm/domain';
import { WrongExpectedVersionError } from '@crm/eventstore';
import { z } from 'zod';
import { toProblem } from './problem-details';

describe('toProblem (RFC 9457)', () => {
  it.each([
    ['invalid', 400],
    ['forbidden', 403],
    ['not_found', 404],
    ['conflict', 409],
    ['rule_violation', 422],
  ] as const)('a domain error of kind %s answers %i with its code', (kind, status) => {
    expect(toProblem(new DomainError('some_code', 'because', kind))).toEqual({
      type: 'urn:crm:problem:some_code', title: expect.any(String), status, detail: 'because', code: 'some_code',
    });
  });

  it('keeps domain details as extension members', () => {
    expect(toProblem(new DomainError('task_closed', 'closed', 'rule_violation', { taskId: 't-1' }))).toMatchObject({ status: 422, taskId: 't-1' });
  });

  it('never lets a detail override a standard member (a `status` detail once became a 500)', () => {
    const body = toProblem(new DomainError('task_closed', 'closed', 'rule_violation', { status: 'cancelled', type: 'x', title: 'y', code: 'z', detail: 'w' }));
    expect(body).toMatchObject({ status: 422, type: 'urn:crm:problem:task_closed', title: 'Unprocessable Content', code: 'task_closed', detail: 'closed' });
  });

  it('maps a stale expected revision to 409 and a zod error to 400 with the paths', () => {
    expect(toProblem(new WrongExpectedVersionError('lead-1', 3, 5))).toMatchObject({ status: 409, code: 'concurrency_conflict' });
    const zodError = z.object({ a: z.number() }).safeParse({ a: 'x' }).error!;
    expect(toProblem(zodError)).toMatchObject({ status: 400, code: 'validation_failed', errors: [{ path: 'a' }] });
  });

  it('hides internals of anything else behind a 500', () => {
    expect(toProblem(new Error('connection string postgres://secret'))).toEqual(expect.objectContaining({ status: 500, detail: 'An unexpected error occurred; it has been logged.' }));
  });
});
