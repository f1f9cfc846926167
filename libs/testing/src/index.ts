export * from './servers';
export * from './http';
export * from './committed-events';
export * from './postgres-app';
