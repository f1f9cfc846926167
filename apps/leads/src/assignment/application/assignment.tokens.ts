/** Injection tokens of the assignment feature (its timers come from the app's `TimersModule`). */
export const ASSIGNMENT_OPTIONS = Symbol('ASSIGNMENT_OPTIONS');

export type AssignmentOptions = {
  /** Run the in-process consumer that routes hot leads and alerts their owners (default true; specs of other features turn it off). */
  background?: boolean;
};
