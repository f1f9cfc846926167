import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pinoHttp } from 'pino-http';
import { createLogger, pinoHttpOptions } from './logger';
import { startTestTelemetry, type Telemetry } from './telemetry';
import { withSpan } from './trace-context';

type Line = Record<string, unknown>;

const capture = (): { destination: Writable; lines: () => Line[] } => {
  const chunks: string[] = [];
  const destination = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      chunks.push(chunk.toString());
      done();
    },
  });
  return {
    destination,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Line),
  };
};

describe('logger', () => {
  // These tests are about the default level: the ambient LOG_LEVEL (jest sets it to silent) must not leak in.
  const ambientLevel = process.env.LOG_LEVEL;
  beforeEach(() => { delete process.env.LOG_LEVEL; });
  afterAll(() => { if (ambientLevel !== undefined) process.env.LOG_LEVEL = ambientLevel; });
  const exporter = new InMemorySpanExporter();
  let telemetry: Telemetry;
  beforeAll(() => {
    telemetry = startTestTelemetry({ spanExporter: exporter });
  });
  afterAll(() => telemetry.shutdown());

  it('stamps trace_id and span_id of the active span on every line', async () => {
    const out = capture();
    const logger = createLogger({ service: 'leads', destination: out.destination });

    const ids = await withSpan('work', SpanKind.INTERNAL, {}, async (span) => {
      logger.info({ leadId: 'lead-1' }, 'qualified');
      await new Promise((resolve) => setImmediate(resolve));
      logger.child({ step: 2 }).warn('after an async hop');
      return span.spanContext();
    });
    logger.info('outside');

    const [first, second, outside] = out.lines();
    expect(first).toMatchObject({ level: 'info', service: 'leads', msg: 'qualified', leadId: 'lead-1', trace_id: ids.traceId, span_id: ids.spanId, trace_flags: '01' });
    expect(second).toMatchObject({ level: 'warn', step: 2, trace_id: ids.traceId, span_id: ids.spanId });
    expect(outside.msg).toBe('outside');
    expect(outside).not.toHaveProperty('trace_id');
    expect(typeof first.time).toBe('string');
  });

  it('honours LOG_LEVEL and the level option', () => {
    const out = capture();
    const previous = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = 'warn';
    try {
      const logger = createLogger({ service: 'leads', destination: out.destination });
      logger.info('dropped');
      logger.warn('kept');
      createLogger({ service: 'leads', level: 'debug', destination: out.destination }).debug('debug kept');
    } finally {
      if (previous === undefined) delete process.env.LOG_LEVEL;
      else process.env.LOG_LEVEL = previous;
    }
    expect(out.lines().map((l) => l.msg)).toEqual(['kept', 'debug kept']);
  });

  it('redacts personal fields and secrets', () => {
    const out = capture();
    createLogger({ service: 'leads', destination: out.destination }).info(
      { email: 'a@b.c', lead: { phone: '+33 1', name: 'Ada' }, event: { data: { email: 'x@y.z' } }, req: { headers: { authorization: 'Bearer s3cret' } } },
      'captured',
    );
    const [line] = out.lines();
    const text = JSON.stringify(line);
    expect(text).not.toMatch(/a@b\.c|\+33 1|x@y\.z|s3cret/);
    expect(line).toMatchObject({ email: '[redacted]', lead: { phone: '[redacted]', name: 'Ada' } });
  });

  it('pinoHttpOptions: request logs carry the trace of the request span, the tenant and the correlation id', async () => {
    const out = capture();
    const middleware = pinoHttp(pinoHttpOptions({ service: 'leads', destination: out.destination }));
    let traceId = '';
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      // Stands in for the HTTP server span the http instrumentation opens.
      void withSpan('GET /leads', SpanKind.SERVER, {}, async (span) => {
        traceId = span.spanContext().traceId;
        middleware(req, res);
        req.log.info('handling');
        res.statusCode = req.url === '/missing' ? 404 : 200;
        setImmediate(() => res.end('ok'));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const get = (path: string): Promise<void> =>
      new Promise((resolve, reject) => {
        const req = httpRequest({ port, path, headers: { 'x-tenant-id': 'acme', 'x-correlation-id': 'c-1', authorization: 'Bearer s3cret' } }, (res) => {
          res.resume();
          res.on('end', resolve);
        });
        req.on('error', reject);
        req.end();
      });
    try {
      await get('/leads');
      await get('/metrics');
      await get('/missing');
      await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }

    const lines = out.lines();
    const handling = lines.find((l) => l.msg === 'handling');
    const completed = lines.filter((l) => l.msg === 'request completed');
    expect(handling).toMatchObject({ tenant_id: 'acme', correlation_id: 'c-1', trace_id: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(completed.map((l) => (l.req as Line).url)).toEqual(['/leads', '/missing']); // /metrics not logged
    expect(completed[0]).toMatchObject({ level: 'info', tenant_id: 'acme', trace_id: expect.stringMatching(/^[0-9a-f]{32}$/), res: { statusCode: 200 } });
    expect(completed[1]).toMatchObject({ level: 'warn', trace_id: traceId, res: { statusCode: 404 } });
    expect(JSON.stringify(lines)).not.toContain('s3cret');
  });
});
