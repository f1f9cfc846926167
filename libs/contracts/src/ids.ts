import { v5 as uuidv5, v7 as uuidv7, validate } from 'uuid';

/** A new time-ordered id (UUIDv7): event ids, aggregate ids. */
export const newId = (): string => uuidv7();

const NAMESPACE = '6f1b9a52-3c0e-4f57-9a41-0d3d7c1e2b10';

/**
 * A deterministic id derived from a tenant, a scope and a client key (UUIDv5), so that a
 * create command retried with the same `Idempotency-Key` addresses the same new stream.
 */
export const idFromKey = (tenantId: string, scope: string, key: string): string =>
  uuidv5(`${tenantId}\u0000${scope}\u0000${key}`, NAMESPACE);

export const isUuid = (value: string): boolean => validate(value);
