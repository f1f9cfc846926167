// Service-level objectives, declared once and used as k6 thresholds by every scenario.
// See ../../shared/docs/PERFORMANCE.md (HTTP command p99 < 50 ms).
export const commandSlo = {
  'http_req_failed{kind:command}': ['rate<0.01'],
  'http_req_duration{kind:command}': ['p(99)<50'],
  'checks{kind:command}': ['rate>0.99'],
};

export const querySlo = {
  'http_req_failed{kind:query}': ['rate<0.01'],
  'http_req_duration{kind:query}': ['p(99)<20'],
};
