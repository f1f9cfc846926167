export * from './event-store.port';
export * from './errors';
export * from './filter';
export * from './polling-subscription';
export * from './in-memory-event-store';
export * from './postgres/postgres-event-store';
export * from './postgres/postgres-migrations';
export * from './kurrentdb/kurrentdb-event-store';
