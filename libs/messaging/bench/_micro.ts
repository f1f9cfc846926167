import { encodeCloudEvent, type NewEvent } from '@crm/contracts';
import { InMemoryEventStore } from '@crm/eventstore';
import { headers } from '@nats-io/nats-core';
import { randomUUID } from 'node:crypto';
const ne = (): NewEvent => ({ type: 'leads.LeadCaptured', data: { leadId: 'l-1', name: 'Ada Lovelace', channel: 'web_form' }, metadata: { tenantId: 'tenant-1', correlationId: randomUUID(), traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' } });
(async () => {
  const s = new InMemoryEventStore();
  for (let i = 0; i < 40000; i += 100) await s.appendToStream(`lead-${i}`, Array.from({ length: 100 }, ne));
  const all = await s.readAll();
  for (let rep = 0; rep < 3; rep++) {
    let t = performance.now();
    for (const e of all) encodeCloudEvent('leads', e);
    console.log('encode us', ((performance.now() - t) * 1000) / all.length);
    t = performance.now();
    for (const e of all) { const h = headers(); h.set('Content-Type', 'application/cloudevents+json'); h.set('traceparent', 'x'); }
    console.log('headers us', ((performance.now() - t) * 1000) / all.length);
    t = performance.now();
    const sub = s.subscribeToAll();
    let n = 0;
    for await (const _ of sub) { if (++n === all.length) break; }
    console.log('subscription us', ((performance.now() - t) * 1000) / all.length);
    t = performance.now();
    for (let i = 0; i < 40; i++) await s.readAll({ after: BigInt(i * 1000 - 1), maxCount: 1000 });
    console.log('readAll pages us', ((performance.now() - t) * 1000) / all.length);
  }
})();
