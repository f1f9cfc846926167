// Shared by the account and contact deciders: which requested changes really change something,
// and how a change set (null clears) applies to a profile.

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The requested changes that differ from the current profile (left-out fields are not changes). */
export const changedFields = <Changes extends Record<string, unknown>>(
  fields: readonly (keyof Changes & string)[],
  requested: Changes,
  current: Record<string, unknown>,
): Partial<Changes> => {
  const changed: Partial<Changes> = {};
  for (const field of fields) {
    const value = requested[field];
    if (value !== undefined && !sameValue(value, current[field])) changed[field] = value;
  }
  return changed;
};

/** The profile after a change set: `null` removes the field, `undefined` leaves it. */
export const applyChanges = <Profile extends object>(profile: Profile, changes: Record<string, unknown>): Profile => {
  const next = { ...profile } as Record<string, unknown>;
  for (const [field, value] of Object.entries(changes)) {
    if (value === null) delete next[field];
    else if (value !== undefined) next[field] = value;
  }
  return next as Profile;
};

/** Drops `undefined` members, so events carry only what was given. */
export const defined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
