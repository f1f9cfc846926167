/**
 * The suite's deployables and their default ports: one table for the services' own defaults,
 * the launcher, the gateway's directory (and, by hand, the Helm chart's values).
 * `eventSourced`: owns an event store (its own PostgreSQL schema / KurrentDB stream prefix).
 * `consumes`: runs durable consumers (its checkpoints and dead letters live in `<name>_messaging`).
 */
export const SERVICES = [
  { name: 'gateway', port: 3100, eventSourced: false, consumes: false },
  { name: 'leads', port: 3101, eventSourced: true, consumes: true },
  { name: 'sales', port: 3102, eventSourced: true, consumes: true },
  { name: 'service', port: 3103, eventSourced: true, consumes: false },
  { name: 'billing', port: 3104, eventSourced: true, consumes: false },
  { name: 'insights', port: 3105, eventSourced: false, consumes: true },
  { name: 'automation', port: 3106, eventSourced: true, consumes: true },
] as const;

export type ServiceName = (typeof SERVICES)[number]['name'];

export const serviceInfo = (name: ServiceName) => SERVICES.find((s) => s.name === name)!;

/** The schema where a consuming app keeps its consumer checkpoints and dead letters. */
export const consumerStateSchema = (app: ServiceName): string => `${app}_messaging`;
