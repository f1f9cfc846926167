import type { EventConsumer } from '@crm/messaging';

export const SALES_OPTIONS = Symbol('SALES_OPTIONS');

/** What tests (or the composition root) can override in the sales service. */
export type SalesOptions = {
  /** Run the consumers (lead conversion, opportunity from conversion, stalled-deal tasks); default true. */
  background?: boolean;
  /** The consumer port for other contexts' events (leads); default from configuration (NATS or the leads event store). */
  consumer?: EventConsumer;
};
