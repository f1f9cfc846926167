export * from './email';
export * from './phone';
export * from './company';
export * from './person';
export * from './match';
