import { createInMemoryTimerTable, InMemoryTimerStore } from './in-memory-timer-store';
import { timerStoreContract } from './timer-store.contract';

timerStoreContract('in-memory', async () => {
  const table = createInMemoryTimerTable();
  const store = new InMemoryTimerStore(table);
  return {
    store,
    reopen: async () => new InMemoryTimerStore(table),
    teardown: () => store.close(),
  };
});
