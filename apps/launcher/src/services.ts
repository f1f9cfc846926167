/** Every deployable of the suite and its default port (the same table the Helm chart uses). */
export const SERVICES = [
  { name: 'gateway', port: 3100, eventSourced: false },
  { name: 'leads', port: 3101, eventSourced: true },
  { name: 'sales', port: 3102, eventSourced: true },
  { name: 'service', port: 3103, eventSourced: true },
  { name: 'billing', port: 3104, eventSourced: true },
  { name: 'insights', port: 3105, eventSourced: false },
  { name: 'automation', port: 3106, eventSourced: true },
] as const;

export type ServiceName = (typeof SERVICES)[number]['name'];

/** Services that own an event store (one PostgreSQL schema each). */
export const EVENT_SOURCED = SERVICES.filter((s) => s.eventSourced).map((s) => s.name);
