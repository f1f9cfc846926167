export * from './prisma-migrate';
