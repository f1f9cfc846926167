export * from './scheduler.port';
export * from './scheduler.errors';
export * from './scheduler';
export * from './manual-clock';
export * from './in-memory-timer-store';
export * from './postgres/postgres-timer-store';
