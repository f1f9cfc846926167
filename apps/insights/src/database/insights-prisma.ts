import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client';

export { Prisma } from '../generated/prisma/client';

/** The insights read-model database (PostgreSQL schema `insights`), through Prisma. */
export type InsightsPrisma = PrismaClient;

export type InsightsPrismaOptions = {
  /** Connections in the pool (default: pg's 10). */
  maxConnections?: number;
};

/**
 * A Prisma client over `@prisma/adapter-pg`: the query compiler is WebAssembly inside
 * `@prisma/client`, so the runtime needs no native engine. Call `$disconnect()` to close the pool.
 */
export const createInsightsPrisma = (databaseUrl: string, options: InsightsPrismaOptions = {}): InsightsPrisma =>
  new PrismaClient({
    adapter: new PrismaPg({ connectionString: databaseUrl, ...(options.maxConnections ? { max: options.maxConnections } : {}) }),
  });
