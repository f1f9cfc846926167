import { fromCloudEvent } from '@crm/contracts';
import { jetstream, jetstreamManager, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import type { DeadLetter, SourceContext } from '../consumer.port';
import { DeadLetterHeaders } from './jetstream-consumer';
import { DEFAULT_NAMESPACE, deadLetterStreamName, deadLetterSubject } from './jetstream-topology';

/** A dead letter as the JetStream consumer published it (the event, when its body decodes). */
export const deadLetterFromMessage = (msg: Pick<JsMsg, 'data' | 'headers'>): DeadLetter | undefined => {
  const h = msg.headers;
  if (!h) return undefined;
  try {
    return {
      consumer: h.get(DeadLetterHeaders.consumer),
      source: h.get(DeadLetterHeaders.source) as SourceContext,
      event: fromCloudEvent(msg.data),
      error: h.get(DeadLetterHeaders.error),
      attempts: Number.parseInt(h.get(DeadLetterHeaders.attempts), 10),
      failedAt: new Date(h.get(DeadLetterHeaders.failedAt)),
    };
  } catch {
    return undefined;
  }
};

/**
 * Reads the dead letters of one consumer from the dead-letter stream, oldest first (at most
 * `limit`; messages whose body is not a CloudEvent of ours are left out).
 */
export const listJetStreamDeadLetters = async (
  nc: NatsConnection,
  consumer: string,
  options: { namespace?: string; limit?: number } = {},
): Promise<DeadLetter[]> => {
  const namespace = options.namespace ?? DEFAULT_NAMESPACE;
  const stream = deadLetterStreamName(namespace);
  const subject = deadLetterSubject(consumer, namespace);
  const jsm = await jetstreamManager(nc);
  const info = await jsm.streams.info(stream, { subjects_filter: subject });
  const count = Math.min(info.state.subjects?.[subject] ?? 0, options.limit ?? 1000);
  if (count === 0) return [];
  const reader = await jetstream(nc).consumers.get(stream, { filter_subjects: subject });
  try {
    const out: DeadLetter[] = [];
    const batch = await reader.fetch({ max_messages: count, expires: 5_000 });
    for await (const msg of batch) {
      const d = deadLetterFromMessage(msg);
      if (d) out.push(d);
    }
    return out;
  } finally {
    await reader.delete().catch(() => undefined);
  }
};
