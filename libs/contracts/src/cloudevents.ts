import { CloudEvent } from 'cloudevents';
import type { EventMetadata, RecordedEvent } from './envelope';

/**
 * The CloudEvents 1.0 mapping of a recorded event, as it travels on the wire (structured
 * JSON mode). Lossless: `fromCloudEvent(toCloudEvent(c, e))` gives back `e` (JSON-valued
 * data and metadata).
 *
 * | CloudEvent attribute | event field |
 * |---|---|
 * | `id`, `type`, `subject`, `time` | `id`, `type`, `streamName`, `occurredAt` |
 * | `source` | `/crm/<context>` of the publishing service |
 * | `data` (`application/json`) | `data` |
 * | `streamrevision` (integer), `position` (string: a 64-bit `$all` position) | `revision`, `position` |
 * | `tenantid`, `correlationid`, `causationid`, `actor`, `traceparent`, `tracestate`, `idempotencykey` (strings), `schemaversion` (integer) | the metadata key of the same name |
 * | `crmmetadata` (JSON string) | every other metadata key, and any known key whose value is not of its declared type |
 */

export const CLOUDEVENT_SOURCE_PREFIX = '/crm/';
export const CLOUDEVENT_CONTENT_TYPE = 'application/cloudevents+json';

/** The CloudEvent attributes this mapping writes (beyond the core ones). */
export type CrmCloudEventExtensions = {
  streamrevision: number;
  position: string;
  tenantid?: string;
  correlationid?: string;
  causationid?: string;
  actor?: string;
  traceparent?: string;
  tracestate?: string;
  idempotencykey?: string;
  schemaversion?: number;
  crmmetadata?: string;
};

type StringMetadataKey = 'tenantId' | 'correlationId' | 'causationId' | 'actor' | 'traceparent' | 'tracestate' | 'idempotencyKey';

/** Metadata keys carried as string extension attributes, and their (lowercase) attribute names. */
const STRING_EXTENSIONS: ReadonlyArray<readonly [StringMetadataKey, keyof CrmCloudEventExtensions]> = [
  ['tenantId', 'tenantid'],
  ['correlationId', 'correlationid'],
  ['causationId', 'causationid'],
  ['actor', 'actor'],
  ['traceparent', 'traceparent'],
  ['tracestate', 'tracestate'],
  ['idempotencyKey', 'idempotencykey'],
];

/** CloudEvents integers are signed 32-bit. */
const isCloudEventInteger = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= -(2 ** 31) && (v as number) < 2 ** 31;

/** `leads` → `/crm/leads`. */
export const cloudEventSource = (context: string): string => `${CLOUDEVENT_SOURCE_PREFIX}${context}`;

/** `/crm/leads` → `leads` (undefined for a source outside this suite). */
export const contextOfCloudEventSource = (source: string): string | undefined =>
  source.startsWith(CLOUDEVENT_SOURCE_PREFIX) ? source.slice(CLOUDEVENT_SOURCE_PREFIX.length) : undefined;

/** Every attribute this mapping may write, in one fixed shape (absent ones undefined). */
type CloudEventJson = {
  specversion: '1.0';
  id: string;
  type: string;
  source: string;
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  data: unknown;
  streamrevision: number;
  position: string;
  tenantid: string | undefined;
  correlationid: string | undefined;
  causationid: string | undefined;
  actor: string | undefined;
  traceparent: string | undefined;
  tracestate: string | undefined;
  idempotencykey: string | undefined;
  schemaversion: number | undefined;
  crmmetadata: string | undefined;
};

const KNOWN_METADATA = new Set<string>([...STRING_EXTENSIONS.map(([key]) => key), 'schemaVersion']);

const stringOrUndefined = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * The CloudEvent attributes of a recorded event. Built as one object literal of a fixed shape
 * (absent attributes are undefined, which JSON leaves out): V8 serialises such an object
 * several times faster than one assembled key by key.
 */
const cloudEventJson = (context: string, event: RecordedEvent): CloudEventJson => {
  if (!isCloudEventInteger(event.revision) || event.revision < 0) throw new RangeError(`stream revision ${event.revision} does not fit a CloudEvents integer`);
  const m = event.metadata;
  const schemaVersion = isCloudEventInteger(m.schemaVersion) ? m.schemaVersion : undefined;
  let rest: [string, unknown][] | undefined;
  for (const key in m) {
    if (!Object.prototype.hasOwnProperty.call(m, key)) continue;
    const value = m[key];
    if (value === undefined) continue;
    if (KNOWN_METADATA.has(key) && (key === 'schemaVersion' ? schemaVersion !== undefined : typeof value === 'string')) continue;
    (rest ??= []).push([key, value]);
  }
  return {
    specversion: '1.0',
    id: event.id,
    type: event.type,
    source: cloudEventSource(context),
    subject: event.streamName,
    time: event.occurredAt.toISOString(),
    datacontenttype: 'application/json',
    data: event.data,
    streamrevision: event.revision,
    position: event.position.toString(),
    tenantid: stringOrUndefined(m.tenantId),
    correlationid: stringOrUndefined(m.correlationId),
    causationid: stringOrUndefined(m.causationId),
    actor: stringOrUndefined(m.actor),
    traceparent: stringOrUndefined(m.traceparent),
    tracestate: stringOrUndefined(m.tracestate),
    idempotencykey: stringOrUndefined(m.idempotencyKey),
    schemaversion: schemaVersion,
    crmmetadata: rest ? JSON.stringify(Object.fromEntries(rest)) : undefined,
  };
};

/** The CloudEvent attributes of a recorded event, as the plain object the SDK's `CloudEvent` is built from. */
export const cloudEventAttributes = (context: string, event: RecordedEvent): Record<string, unknown> =>
  Object.fromEntries(Object.entries(cloudEventJson(context, event)).filter(([, v]) => v !== undefined));

/** A recorded event as a CloudEvent published by `context`. */
export const toCloudEvent = (context: string, event: RecordedEvent): CloudEvent<unknown> =>
  // The attributes are built from typed fields, so the SDK's (costly) validation is skipped;
  // `fromCloudEvent` validates what arrives from the wire.
  new CloudEvent<unknown>(cloudEventAttributes(context, event), false);

/**
 * Structured-mode JSON body of a recorded event (`application/cloudevents+json`): the same
 * JSON as `JSON.stringify(toCloudEvent(context, event))`, without building the SDK object (the
 * relay's hot path; the spec checks that both agree).
 */
export const encodeCloudEvent = (context: string, event: RecordedEvent): string => JSON.stringify(cloudEventJson(context, event));

const asString = (value: unknown, name: string): string => {
  if (typeof value !== 'string') throw new TypeError(`CloudEvent attribute ${name} must be a string`);
  return value;
};

/**
 * The recorded event carried by a CloudEvent (an SDK object, its JSON object or its
 * structured-mode JSON text). Throws a `TypeError` (or the SDK's `ValidationError`) when the
 * CloudEvent is invalid or was not written by `toCloudEvent`.
 */
export const fromCloudEvent = (input: CloudEvent<unknown> | Record<string, unknown> | string | Uint8Array): RecordedEvent => {
  const raw: Record<string, unknown> =
    typeof input === 'string'
      ? (JSON.parse(input) as Record<string, unknown>)
      : input instanceof Uint8Array
        ? (JSON.parse(Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('utf8')) as Record<string, unknown>)
        : (input as Record<string, unknown>);
  const ce = raw instanceof CloudEvent ? raw : new CloudEvent<unknown>(raw, true);
  const attributes = ce as unknown as Record<string, unknown>;
  const revision = attributes.streamrevision;
  if (!Number.isInteger(revision)) throw new TypeError('CloudEvent attribute streamrevision must be an integer');
  const positionText = asString(attributes.position, 'position');
  if (!/^\d+$/.test(positionText)) throw new TypeError('CloudEvent attribute position must be a decimal string');

  const entries: [string, unknown][] = [];
  const crmmetadata = attributes.crmmetadata;
  if (crmmetadata !== undefined) {
    const extra: unknown = JSON.parse(asString(crmmetadata, 'crmmetadata'));
    if (typeof extra !== 'object' || extra === null || Array.isArray(extra)) throw new TypeError('CloudEvent attribute crmmetadata must be a JSON object');
    entries.push(...Object.entries(extra));
  }
  for (const [key, attribute] of STRING_EXTENSIONS) {
    const value = attributes[attribute];
    if (value !== undefined) entries.push([key, asString(value, attribute)]);
  }
  if (attributes.schemaversion !== undefined) {
    if (!Number.isInteger(attributes.schemaversion)) throw new TypeError('CloudEvent attribute schemaversion must be an integer');
    entries.push(['schemaVersion', attributes.schemaversion]);
  }
  const metadata = Object.fromEntries(entries) as EventMetadata;
  const occurredAt = new Date(asString(ce.time, 'time'));
  if (Number.isNaN(occurredAt.getTime())) throw new TypeError('CloudEvent attribute time must be a timestamp');

  return {
    id: ce.id,
    type: ce.type,
    streamName: asString(ce.subject, 'subject'),
    revision: revision as number,
    position: BigInt(positionText),
    occurredAt,
    data: ce.data,
    metadata,
  };
};
