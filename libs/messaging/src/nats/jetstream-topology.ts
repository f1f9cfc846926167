import { JetStreamApiCodes, JetStreamApiError, RetentionPolicy, StorageType, DiscardPolicy, type JetStreamManager, type StreamConfig, type StreamInfo } from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import type { SourceContext } from '../consumer.port';

/**
 * JetStream names. One stream per context (`CRM_LEADS` holding `crm.leads.>`), one for dead
 * letters (`CRM_DLQ` holding `crm.dlq.>`). The namespace (default `crm`) exists so that test
 * runs and side-by-side installations sharing one server never overlap.
 */
export const DEFAULT_NAMESPACE = 'crm';

const NAMESPACE = /^[a-z][a-z0-9-]{0,30}$/;

export const checkNamespace = (namespace: string): string => {
  if (!NAMESPACE.test(namespace)) throw new TypeError(`invalid JetStream namespace "${namespace}" (lowercase letters, digits, dashes)`);
  return namespace;
};

const streamPrefix = (namespace: string): string => checkNamespace(namespace).toUpperCase().replaceAll('-', '_');

/** `leads` → `CRM_LEADS`. */
export const contextStreamName = (context: SourceContext, namespace = DEFAULT_NAMESPACE): string => `${streamPrefix(namespace)}_${context.toUpperCase()}`;

/** `leads` → `crm.leads.>`. */
export const contextSubjects = (context: SourceContext, namespace = DEFAULT_NAMESPACE): string => `${checkNamespace(namespace)}.${context}.>`;

/** `leads.LeadCaptured` → `LeadCaptured`: the part after the context, as one valid subject token. */
export const eventSubjectToken = (eventType: string): string => {
  const name = eventType.slice(eventType.indexOf('.') + 1);
  return name === '' ? '_' : name.replace(/[^A-Za-z0-9_-]/g, '_');
};

/** (`leads`, `leads.LeadCaptured`) → `crm.leads.LeadCaptured`. */
export const eventSubject = (context: SourceContext, eventType: string, namespace = DEFAULT_NAMESPACE): string =>
  `${checkNamespace(namespace)}.${context}.${eventSubjectToken(eventType)}`;

export const deadLetterStreamName = (namespace = DEFAULT_NAMESPACE): string => `${streamPrefix(namespace)}_DLQ`;

/** `insights.lead-read-model` → `crm.dlq.insights.lead-read-model`. */
export const deadLetterSubject = (consumer: string, namespace = DEFAULT_NAMESPACE): string => `${checkNamespace(namespace)}.dlq.${consumer}`;

export type JetStreamTopologyOptions = {
  namespace?: string;
  /** Stream replicas (1 on a single server; 3 in production clusters). */
  replicas?: number;
  /** Publish de-duplication window by `Nats-Msg-Id` (default 2 minutes). */
  duplicateWindowMs?: number;
  /** How long the context streams keep events (default: forever; the event store is the truth). */
  maxAgeMs?: number;
  storage?: 'file' | 'memory';
};

const DEFAULT_DUPLICATE_WINDOW_MS = 2 * 60_000;

/** The stream settings we choose; the server fills in the rest. */
export type StreamSpec = Partial<StreamConfig> & Pick<StreamConfig, 'name' | 'subjects' | 'num_replicas' | 'duplicate_window' | 'max_age'>;

const baseConfig = (options: JetStreamTopologyOptions): Omit<StreamSpec, 'name' | 'subjects'> => ({
  retention: RetentionPolicy.Limits,
  storage: options.storage === 'memory' ? StorageType.Memory : StorageType.File,
  discard: DiscardPolicy.Old,
  num_replicas: options.replicas ?? 1,
  duplicate_window: nanos(options.duplicateWindowMs ?? DEFAULT_DUPLICATE_WINDOW_MS),
  max_age: nanos(options.maxAgeMs ?? 0),
  max_msgs: -1,
  max_bytes: -1,
  max_msg_size: -1,
  max_msgs_per_subject: -1,
  max_consumers: -1,
  allow_direct: true,
});

const isApiError = (error: unknown, code: number): boolean => error instanceof JetStreamApiError && error.code === code;

/** Creates the stream, or updates the settings that may change (subjects, replicas, windows). Idempotent. */
export const ensureStream = async (jsm: JetStreamManager, config: StreamSpec): Promise<StreamInfo> => {
  for (let attempt = 1; attempt <= 3; attempt++) {
    let info: StreamInfo | undefined;
    try {
      info = await jsm.streams.info(config.name);
    } catch (error) {
      if (!isApiError(error, JetStreamApiCodes.StreamNotFound)) throw error;
    }
    if (info) {
      const current = info.config;
      const same =
        [...current.subjects].sort().join() === [...config.subjects].sort().join() &&
        current.num_replicas === config.num_replicas &&
        current.duplicate_window === config.duplicate_window &&
        current.max_age === config.max_age;
      if (same) return info;
      return jsm.streams.update(config.name, {
        subjects: config.subjects,
        num_replicas: config.num_replicas,
        duplicate_window: config.duplicate_window,
        max_age: config.max_age,
      });
    }
    try {
      return await jsm.streams.add(config);
    } catch (error) {
      // Another process created it between our info and add: read it again.
      if (attempt === 3) throw error;
    }
  }
  throw new Error(`could not ensure stream ${config.name}`);
};

export const contextStreamConfig = (context: SourceContext, options: JetStreamTopologyOptions = {}): StreamSpec => ({
  ...baseConfig(options),
  name: contextStreamName(context, options.namespace),
  subjects: [contextSubjects(context, options.namespace)],
  description: `Events published by the ${context} context (CloudEvents JSON, one subject per event type).`,
});

export const deadLetterStreamConfig = (options: JetStreamTopologyOptions = {}): StreamSpec => {
  const namespace = options.namespace ?? DEFAULT_NAMESPACE;
  return {
    ...baseConfig(options),
    name: deadLetterStreamName(namespace),
    subjects: [`${checkNamespace(namespace)}.dlq.>`],
    description: 'Dead-lettered deliveries: the original message, the consumer and the error in headers.',
  };
};

export const ensureContextStream = (jsm: JetStreamManager, context: SourceContext, options: JetStreamTopologyOptions = {}): Promise<StreamInfo> =>
  ensureStream(jsm, contextStreamConfig(context, options));

export const ensureDeadLetterStream = (jsm: JetStreamManager, options: JetStreamTopologyOptions = {}): Promise<StreamInfo> =>
  ensureStream(jsm, deadLetterStreamConfig(options));

/** The whole topology: one stream per context, and the dead-letter stream. */
export const ensureTopology = async (jsm: JetStreamManager, contexts: readonly SourceContext[], options: JetStreamTopologyOptions = {}): Promise<void> => {
  for (const context of contexts) await ensureContextStream(jsm, context, options);
  await ensureDeadLetterStream(jsm, options);
};
