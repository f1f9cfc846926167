/** Injection tokens of the assignment feature. */
export const TIMER_STORE = Symbol('TIMER_STORE');
export const SCHEDULER = Symbol('SCHEDULER');
export const ASSIGNMENT_CLOCK = Symbol('ASSIGNMENT_CLOCK');
export const ASSIGNMENT_OPTIONS = Symbol('ASSIGNMENT_OPTIONS');
