export * from './envelope';
export * from './ids';
export * from './leads.events';
export * from './lead-scoring.events';
export * from './event-schemas';
export * from './cloudevents';
export * from './services';
