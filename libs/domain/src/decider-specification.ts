import { deepStrictEqual, fail } from 'node:assert';
import type { DomainEvent } from '@crm/contracts';
import type { Decider } from './decider';
import { DomainError } from './domain-error';

/**
 * Given/when/then for deciders, with no framework and no I/O:
 *
 *   const given = DeciderSpecification.for(leadDecider);
 *   given([captured]).when(qualify).then([qualified]);
 *   given([]).when(qualify).thenThrows('lead_not_found');
 */
export const DeciderSpecification = {
  for<Command, Event extends DomainEvent, State>(decider: Decider<Command, Event, State>) {
    return (givenEvents: readonly Event[]) => ({
      when(command: Command) {
        const run = () => decider.decide(command, givenEvents.reduce(decider.evolve, decider.initialState()));
        return {
          then(expected: readonly Event[]): void {
            deepStrictEqual(run(), expected);
          },
          thenNothingHappened(): void {
            deepStrictEqual(run(), []);
          },
          thenThrows(code: string, check?: (error: DomainError) => void): void {
            let result: Event[];
            try {
              result = run();
            } catch (error) {
              if (!(error instanceof DomainError)) throw error;
              deepStrictEqual(error.code, code);
              check?.(error);
              return;
            }
            fail(`expected a DomainError "${code}", but the decider returned ${JSON.stringify(result)}`);
          },
          /** The state after the given events and the decided ones. */
          thenState(check: (state: State) => void): void {
            const state = givenEvents.reduce(decider.evolve, decider.initialState());
            check(run().reduce(decider.evolve, state));
          },
        };
      },
    });
  },
};
