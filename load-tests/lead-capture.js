// User journey: marketing captures leads from a web form; a sales rep qualifies them; the
// read model shows them. Run: k6 run load-tests/lead-capture.js (suite started with npm start).
// Env: LEADS_URL (default http://127.0.0.1:3101), INSIGHTS_URL (http://127.0.0.1:3105),
//      VUS (default 8), DURATION (default 30s), TENANT (default k6).
import http from 'k6/http';
import { check } from 'k6';
import { commandSlo, querySlo } from './lib/slo.js';

const leads = __ENV.LEADS_URL || 'http://127.0.0.1:3101';
const insights = __ENV.INSIGHTS_URL || 'http://127.0.0.1:3105';
const tenant = __ENV.TENANT || 'k6';

export const options = {
  scenarios: {
    capture_and_qualify: {
      executor: 'constant-vus',
      vus: Number(__ENV.VUS || 8),
      duration: __ENV.DURATION || '30s',
    },
  },
  thresholds: { ...commandSlo, ...querySlo },
};

const json = (extra = {}) => ({ headers: { 'content-type': 'application/json', 'x-tenant-id': tenant, ...extra } });

export default function () {
  const key = `${__VU}-${__ITER}-${Date.now()}`;
  const capture = http.post(
    `${leads}/v1/leads`,
    JSON.stringify({ name: `Lead ${key}`, company: 'Acme Co., Ltd.', email: `lead-${key}@example.cn`, channel: 'web_form', utm: { source: 'k6', medium: 'load' } }),
    { ...json({ 'idempotency-key': key }), tags: { kind: 'command' } },
  );
  check(capture, { 'captured 201': (r) => r.status === 201 }, { kind: 'command' });
  if (capture.status !== 201) return;
  const { id } = capture.json();
  const qualify = http.post(`${leads}/v1/leads/${id}/qualify`, '{}', { ...json({ 'if-match': capture.headers.Etag }), tags: { kind: 'command' } });
  check(qualify, { 'qualified 200': (r) => r.status === 200 }, { kind: 'command' });
  const list = http.get(`${insights}/v1/leads?limit=10`, { headers: { 'x-tenant-id': tenant }, tags: { kind: 'query' } });
  check(list, { 'list 200': (r) => r.status === 200 }, { kind: 'query' });
}
