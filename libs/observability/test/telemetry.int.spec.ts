/*
 * The real, env-driven start in a child process (instrumentations cannot patch modules
 * inside Jest's module registry): OTLP/HTTP export to a fake collector, the http
 * instrumentation making the server span, trace ids reaching logs and currentTraceMetadata.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

type Run = { stdout: string; code: number | null };

const runService = (env: Record<string, string>): Promise<Run> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, 'fixtures', 'instrumented-service.ts')], {
      cwd: join(__dirname, '..', '..', '..'),
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, code }));
  });

const lastJson = (stdout: string): Record<string, unknown> => JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;

describe('startTelemetry in a real process', () => {
  const received: { path: string; body: string }[] = [];
  let collector: Server;
  let endpoint: string;

  beforeAll(async () => {
    collector = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push({ path: req.url ?? '', body });
        res.setHeader('content-type', 'application/json');
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => collector.close(() => resolve())));

  it('exports the HTTP server span and the CRM metrics over OTLP/HTTP, and stamps trace ids', async () => {
    const run = await runService({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint });

    expect(run.code).toBe(0);
    const result = lastJson(run.stdout) as { enabled: boolean; seen: { traceparent?: string } };
    expect(result.enabled).toBe(true);
    const traceId = /^00-([0-9a-f]{32})-[0-9a-f]{16}-01$/.exec(result.seen.traceparent ?? '')?.[1];
    expect(traceId).toBeDefined();

    const logLine = JSON.parse(run.stdout.split('\n').find((l) => l.includes('"in handler"')) ?? '{}') as Record<string, unknown>;
    expect(logLine.trace_id).toBe(traceId);

    const traces = received.filter((r) => r.path === '/v1/traces').map((r) => r.body).join('\n');
    expect(traces).toContain('"stringValue":"smoke"');
    expect(traces).toContain(traceId);
    expect(traces).toMatch(/"kind":2/); // SERVER span from the http instrumentation

    const metricsBody = received.filter((r) => r.path === '/v1/metrics').map((r) => r.body).join('\n');
    expect(metricsBody).toContain('crm_commands_total');
  }, 30_000);

  it('stays off without OTEL_* configuration', async () => {
    received.length = 0;
    const run = await runService({});

    expect(run.code).toBe(0);
    expect(lastJson(run.stdout)).toEqual({ enabled: false, seen: {} });
    expect(run.stdout).not.toContain('trace_id');
    expect(received).toEqual([]);
  }, 30_000);
});
