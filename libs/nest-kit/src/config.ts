import { z } from 'zod';

/** Thrown at start-up when the environment does not describe a runnable service. */
export class ConfigError extends Error {
  constructor(readonly service: string, readonly problems: string[]) {
    super(`${service}: invalid configuration\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const optionalUrl = (protocols: readonly string[]) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .refine((v) => v === undefined || protocols.some((p) => v.startsWith(`${p}://`)), {
      message: `must be a URL starting with ${protocols.map((p) => `${p}://`).join(' or ')}`,
    });

/** Settings every service reads; services extend it with their own keys. */
export const baseConfigSchema = z.object({
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(1).max(65535),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** PostgreSQL: the event store (when EVENT_STORE=postgres), read models, checkpoints. */
  DATABASE_URL: optionalUrl(['postgres', 'postgresql']),
  /** `postgres` (default), `kurrentdb`, or `memory` (tests and demos only: nothing survives a restart). */
  EVENT_STORE: z.enum(['postgres', 'kurrentdb', 'memory']).optional(),
  KURRENTDB_URL: optionalUrl(['kurrentdb', 'esdb', 'kdb', 'esdb+discover', 'kurrentdb+discover']),
  /** Unset: embedded mode, consumers read the event stores directly. */
  NATS_URL: optionalUrl(['nats', 'tls', 'ws', 'wss']),
  NATS_CREDS_FILE: z.string().optional(),
  NATS_TLS_CA_FILE: z.string().optional(),
  /**
   * Prefix of every JetStream stream, subject and dead-letter name (`crm` → `CRM_LEADS`,
   * `crm.leads.>`), so that installations or test runs sharing one NATS never overlap.
   */
  NATS_NAMESPACE: z.string().regex(/^[a-z][a-z0-9-]{0,30}$/).default('crm'),
  /** Tenant used when a request carries no `x-tenant-id` header. */
  DEFAULT_TENANT: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/).default('default'),
});

export type BaseConfig = z.infer<typeof baseConfigSchema> & { EVENT_STORE: 'postgres' | 'kurrentdb' | 'memory' };

/**
 * Parses the environment with a zod schema; on failure throws a `ConfigError` that names every
 * bad or missing variable, so a misconfigured pod fails fast with a readable message.
 */
export const loadConfig = <Schema extends z.ZodType<Record<string, unknown>>>(
  service: string,
  schema: Schema,
  env: Record<string, string | undefined> = process.env,
): z.infer<Schema> => {
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(service, result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  return result.data;
};

/** The base settings, with the event store chosen from what is configured. */
export const loadBaseConfig = (service: string, defaultPort: number, env: Record<string, string | undefined> = process.env): BaseConfig => {
  const parsed = loadConfig(service, baseConfigSchema, { PORT: String(defaultPort), ...env });
  const eventStore = parsed.EVENT_STORE ?? (parsed.KURRENTDB_URL ? 'kurrentdb' : 'postgres');
  const problems: string[] = [];
  if (eventStore === 'kurrentdb' && !parsed.KURRENTDB_URL) problems.push('KURRENTDB_URL: required when EVENT_STORE=kurrentdb');
  if (eventStore === 'postgres' && !parsed.DATABASE_URL) problems.push('DATABASE_URL: required when EVENT_STORE=postgres (or set EVENT_STORE=memory)');
  if (problems.length) throw new ConfigError(service, problems);
  return { ...parsed, EVENT_STORE: eventStore };
};
