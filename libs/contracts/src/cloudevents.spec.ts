import fc from 'fast-check';
import { CloudEvent } from 'cloudevents';
import { contextOfCloudEventSource, encodeCloudEvent, fromCloudEvent, toCloudEvent } from './cloudevents';
import type { RecordedEvent } from './envelope';

const event = (overrides: Partial<RecordedEvent> = {}): RecordedEvent => ({
  id: '0190a3c4-0000-7000-8000-000000000001',
  type: 'leads.LeadCaptured',
  streamName: 'lead-42',
  revision: 3,
  position: 9_007_199_254_740_993n,
  occurredAt: new Date('2025-01-02T03:04:05.678Z'),
  data: { leadId: '42', name: 'Ada' },
  metadata: {
    tenantId: 't-1',
    correlationId: 'c-1',
    causationId: 'cmd-1',
    actor: 'user:7',
    traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    tracestate: 'vendor=1',
    idempotencyKey: 'k-1',
    schemaVersion: 2,
    region: 'eu',
  },
  ...overrides,
});

/** What JSON keeps of a value (the stores hold JSON, so this is the domain of the round trip). */
const jsonNormal = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

describe('CloudEvents mapping', () => {
  it('maps the envelope to CloudEvents 1.0 attributes and extensions', () => {
    const ce = toCloudEvent('leads', event());
    expect(JSON.parse(JSON.stringify(ce))).toEqual({
      specversion: '1.0',
      id: '0190a3c4-0000-7000-8000-000000000001',
      type: 'leads.LeadCaptured',
      source: '/crm/leads',
      subject: 'lead-42',
      time: '2025-01-02T03:04:05.678Z',
      datacontenttype: 'application/json',
      data: { leadId: '42', name: 'Ada' },
      streamrevision: 3,
      position: '9007199254740993',
      tenantid: 't-1',
      correlationid: 'c-1',
      causationid: 'cmd-1',
      actor: 'user:7',
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      tracestate: 'vendor=1',
      idempotencykey: 'k-1',
      schemaversion: 2,
      crmmetadata: '{"region":"eu"}',
    });
    expect(() => ce.validate()).not.toThrow();
    expect(contextOfCloudEventSource(ce.source)).toBe('leads');
  });

  it('reads back the recorded event from the SDK object, the JSON text and the bytes', () => {
    const e = event();
    const text = encodeCloudEvent('leads', e);
    expect(fromCloudEvent(toCloudEvent('leads', e))).toEqual(e);
    expect(fromCloudEvent(text)).toEqual(e);
    expect(fromCloudEvent(new TextEncoder().encode(text))).toEqual(e);
  });

  it('keeps a known metadata key of an unexpected type in crmmetadata', () => {
    const e = event({ metadata: { tenantId: 't', correlationId: 'c', schemaVersion: 1.5, actor: 7 as unknown as string } });
    const ce = toCloudEvent('leads', e) as unknown as Record<string, unknown>;
    expect(ce.schemaversion).toBeUndefined();
    expect(JSON.parse(ce.crmmetadata as string)).toEqual({ schemaVersion: 1.5, actor: 7 });
    expect(fromCloudEvent(encodeCloudEvent('leads', e))).toEqual(e);
  });

  it('rejects a CloudEvent that this mapping did not write', () => {
    const foreign = new CloudEvent({ id: '1', type: 'x', source: '/elsewhere', data: {} });
    expect(() => fromCloudEvent(foreign)).toThrow(/streamrevision/);
    expect(() => fromCloudEvent('{"specversion":"1.0","id":"1","source":"/x"}')).toThrow();
  });

  it('round-trips any JSON data and metadata losslessly (property)', () => {
    const metadataKey = fc.oneof(
      fc.constantFrom('tenantId', 'correlationId', 'causationId', 'actor', 'traceparent', 'tracestate', 'idempotencyKey', 'schemaVersion', 'crmmetadata'),
      fc.string({ minLength: 1, maxLength: 12 }),
    );
    const metadataValue = fc.oneof(fc.string(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 2 }));
    const recorded = fc.record({
      id: fc.uuid(),
      type: fc.stringMatching(/^[a-z]{1,10}\.[A-Z][A-Za-z]{0,20}$/),
      streamName: fc.string({ minLength: 1, maxLength: 40 }),
      revision: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      position: fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }),
      occurredAt: fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }),
      data: fc.option(fc.jsonValue({ maxDepth: 3 }), { nil: undefined }),
      metadata: fc.tuple(fc.string(), fc.string(), fc.dictionary(metadataKey, metadataValue, { maxKeys: 8 })).map(([tenantId, correlationId, extra]) => ({
        tenantId,
        correlationId,
        ...extra,
      })),
    });
    fc.assert(
      fc.property(recorded, fc.constantFrom('leads', 'sales', 'billing'), (e, context) => {
        const expected: RecordedEvent = { ...e, data: jsonNormal(e.data), metadata: jsonNormal(e.metadata) };
        const text = encodeCloudEvent(context, e);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(toCloudEvent(context, e))));
        const back = fromCloudEvent(text);
        expect(back).toEqual(expected);
        expect(Object.keys(back.metadata).sort()).toEqual(Object.keys(expected.metadata).sort());
      }),
      { numRuns: 300 },
    );
  });
});
