import type { EventFilter } from '@crm/eventstore';
import type { ConsumerOptions, SourceContext } from './consumer.port';

export const DEFAULT_MAX_DELIVER = 5;

/**
 * Consumer names are `<consuming-app>.<purpose>`: dot-separated tokens of letters, digits and
 * dashes. No underscores, so that the JetStream durable name (dots → underscores) is a
 * one-to-one mapping of it.
 */
const CONSUMER_NAME = /^[A-Za-z0-9][A-Za-z0-9-]*(\.[A-Za-z0-9][A-Za-z0-9-]*)*$/;

export type ResolvedConsumerOptions = {
  name: string;
  sources: SourceContext[];
  filter?: EventFilter;
  maxDeliver: number;
};

/** Validates consumer options and fills the defaults; both adapters call it, so they reject the same input. */
export const resolveConsumerOptions = (options: ConsumerOptions): ResolvedConsumerOptions => {
  if (!CONSUMER_NAME.test(options.name) || options.name.length > 200) {
    throw new TypeError(`invalid consumer name "${options.name}": use <consuming-app>.<purpose> (letters, digits, dashes, dots)`);
  }
  const sources = [...new Set(options.sources)];
  if (sources.length === 0) throw new TypeError(`consumer ${options.name}: at least one source is required`);
  const maxDeliver = options.maxDeliver ?? DEFAULT_MAX_DELIVER;
  if (!Number.isInteger(maxDeliver) || maxDeliver < 1 || maxDeliver > 1000) {
    throw new TypeError(`consumer ${options.name}: maxDeliver must be an integer in 1..1000`);
  }
  return { name: options.name, sources, filter: options.filter, maxDeliver };
};

/** `insights.lead-read-model` → `insights_lead-read-model`: a valid JetStream durable name (no dots). */
export const durableConsumerName = (name: string): string => name.replaceAll('.', '_');
