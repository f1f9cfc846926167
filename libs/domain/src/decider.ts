import type { DomainEvent } from '@crm/contracts';

/**
 * An aggregate as three pure functions. No I/O, no clock, no randomness: time and ids
 * arrive on the command.
 */
export type Decider<Command, Event extends DomainEvent, State> = {
  initialState: () => State;
  evolve: (state: State, event: Event) => State;
  /** Returns the events the command causes, or throws a `DomainError` when a rule forbids it. */
  decide: (command: Command, state: State) => Event[];
};

/** Folds events into state. */
export const fold = <Event extends DomainEvent, State>(
  decider: Pick<Decider<unknown, Event, State>, 'initialState' | 'evolve'>,
  events: readonly Event[],
): State => events.reduce(decider.evolve, decider.initialState());

/** Time for deciders arrives through commands; services read it from an injected clock. */
export type Clock = { now: () => Date };

export const systemClock: Clock = { now: () => new Date() };
