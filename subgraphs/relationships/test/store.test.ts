import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { migrate } from '../../../platform/db/migrate.ts';
import { backends, freshDb } from '../../../test/support/databases.ts';
import { PostgresGraphStore } from '../store.postgres.ts';
import { graphStoreContract } from './store.contract.ts';

const MIGRATIONS = fileURLToPath(new URL('../migrations', import.meta.url));

for (const { backend, label, reachable } of await backends()) {
  describe.skipIf(!reachable)(`relationships store on ${label}`, () => {
    graphStoreContract(label, async ({ now }) => {
      const { db, drop } = await freshDb(backend, 'graph');
      await migrate(db, MIGRATIONS);
      return { store: new PostgresGraphStore(db, now), dispose: drop };
    });
  });
}
