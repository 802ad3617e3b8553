/** The `history` service over this node's SQLite file alone (no shared database). No hooks here. */
import type { SqliteHistory } from './history.js';
import type { HistoryStore } from './service.js';

export function localHistoryService(local: SqliteHistory): HistoryStore {
  return {
    backend: 'sqlite',
    recent: async (channel, n) => local.recent(channel, n),
    iterate: async function* (filter) {
      yield* local.iterate(filter);
    },
    count: async (filter) => local.count(filter),
    flush: () => local.flush(),
  };
}
