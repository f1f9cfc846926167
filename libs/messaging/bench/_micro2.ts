import type { NewEvent } from '@crm/contracts';
import { InMemoryEventStore } from '@crm/eventstore';
import { randomUUID } from 'node:crypto';
import { EventRelay, InMemoryCheckpointStore } from '@crm/messaging';
const ne = (): NewEvent => ({ type: 'leads.LeadCaptured', data: { leadId: 'l-1', name: 'Ada Lovelace', channel: 'web_form' }, metadata: { tenantId: 'tenant-1', correlationId: randomUUID(), traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' } });
(async () => {
  const s = new InMemoryEventStore();
  const N = 40000;
  for (let i = 0; i < N; i += 100) await s.appendToStream(`lead-${i}`, Array.from({ length: 100 }, ne));
  for (let rep = 0; rep < 3; rep++) {
    const relay = new EventRelay({ context: 'leads', store: s, publisher: { publish: () => Promise.resolve({ seq: 1, duplicate: false }) }, checkpoints: new InMemoryCheckpointStore() });
    const c = process.cpuUsage(); const t = performance.now();
    await relay.start();
    while (relay.stats().ackedPosition !== BigInt(N - 1)) await new Promise((r) => setTimeout(r, 1));
    const u = process.cpuUsage(c);
    console.log('relay w/o nats: us/event wall', ((performance.now() - t) * 1000 / N).toFixed(1), 'cpu', ((u.user + u.system) / N).toFixed(1));
    await relay.stop();
  }
})();
