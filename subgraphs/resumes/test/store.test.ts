import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { PostgresOutbox } from '../../../platform/events/index.ts';
import { migrateSubgraph } from '../../../platform/subgraph.ts';
import { contractSuite } from '../../../test/support/contract.ts';
import { backends, freshDb } from '../../../test/support/databases.ts';
import { MONGODB_URL, mongodbTarget } from '../../../test/support/mongodb.ts';
import { MongoStores } from '../store.mongo.ts';
import { PostgresResumeStore, PostgresTalentStore } from '../store.postgres.ts';
import { resumeStoreContract } from './store.contract.ts';

const SUBGRAPH = fileURLToPath(new URL('..', import.meta.url));

// PGlite, and the PostgreSQL at TEST_DATABASE_URL (skipped, with the reason in its title, when it does not answer).
for (const { backend, label, target } of await backends()) {
  contractSuite('resume store', target, () => {
    resumeStoreContract(label, async () => {
      const { db, drop } = await freshDb(backend, 'resumes');
      await migrateSubgraph(db, SUBGRAPH);
      return { talents: new PostgresTalentStore(db), resumes: new PostgresResumeStore(db), outbox: new PostgresOutbox(db, 'resumes'), dispose: drop };
    });
  });
}

// MongoDB at TEST_MONGODB_URL (in CI the wire-compatible mongo-java-server, without transactions), a database per test.
const mongodb = await mongodbTarget();
contractSuite('resume store', mongodb, () => {
  resumeStoreContract(mongodb.label!, async () => {
    const stores = await MongoStores.open(`${MONGODB_URL.replace(/\/+$/, '')}/resume-store-${randomUUID().slice(0, 8)}`);
    return {
      talents: stores.talents,
      resumes: stores.resumes,
      outbox: stores.outbox,
      dispose: async () => {
        await stores.drop();
        await stores.close();
      },
    };
  });
});
