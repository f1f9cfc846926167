import { eventStoreContract } from '../event-store.contract';
import { KurrentDBEventStore } from './kurrentdb-event-store';

const url = process.env.KURRENTDB_URL;

// No KurrentDB server can run here: without KURRENTDB_URL the suite registers one skipped
// test and says so loudly, so a missing server never passes silently.
if (!url) {
  describe('EventStore contract: kurrentdb', () => {
    console.warn('SKIPPED "EventStore contract: kurrentdb": KURRENTDB_URL is not set (e.g. kurrentdb://localhost:2113?tls=false)');
    it.skip('needs a KurrentDB server (KURRENTDB_URL)', () => undefined);
  });
} else {
  eventStoreContract(
    'kurrentdb',
    async () => {
      const store = new KurrentDBEventStore({ connectionString: url, streamPrefix: `contract${Date.now()}_` });
      return { store, teardown: () => store.close() };
    },
    { globallyUniqueEventIds: false },
  );
}
