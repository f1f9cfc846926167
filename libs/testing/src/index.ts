export * from './servers';
export * from './http';
