import type { JsonValue } from './scheduler.port';

/** JSON with object keys sorted, so two payloads compare equal exactly when PostgreSQL's jsonb would. */
export const canonicalJson = (value: JsonValue): string => JSON.stringify(sortKeys(value));

const sortKeys = (value: JsonValue): JsonValue => {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys(value[k])]),
    );
  }
  return value;
};

/** A deep copy through JSON, so stored payloads never alias the caller's objects. */
export const cloneJson = (value: JsonValue): JsonValue => JSON.parse(JSON.stringify(value)) as JsonValue;
