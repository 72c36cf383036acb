import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../../platform/db/db.ts';
import { prepareStores, startSubgraph, type RunningSubgraphService } from '../../../platform/subgraph.ts';
import { codes, graphql } from '../../../test/support/client.ts';
import { contractSuite } from '../../../test/support/contract.ts';
import { backends, freshDb } from '../../../test/support/databases.ts';
import { eventually } from '../../../test/support/eventually.ts';
import { tokenFor } from '../../../test/support/services.ts';
import { startFakeZervigo, type FakeZervigo } from '../../../test/fake-zervigo/server.ts';
import { integrationsSubgraph, type Stores } from '../index.ts';
import { PlatformSyncStore } from '../sync/store.ts';
import { optionsFor, seedSkills, seedTalent } from './setup.ts';

const TALENTS = 12;
const SYNC_ALL = `mutation { syncAllTalents { id status total } }`;
const JOB = `query($id: ID!) { syncJob(id: $id) { status total done failed pending } }`;
type Job = { status: string; total: number; done: number; failed: number; pending: number };

/** Issue 10, test 7: a sync of everything, stopped half-way by a restart, carries on where it stopped and ends with no duplicates. */
for (const { backend, target } of await backends()) {
  contractSuite('integrations sync job across a restart', target, () => {
    let fake: FakeZervigo;
    let db: Db;
    let drop: () => Promise<void>;
    let service: RunningSubgraphService<Stores> | undefined;
    // Ten talents a second: the job takes over a second, so the restart lands in its middle.
    const definition = () => integrationsSubgraph(() => ({ ...optionsFor(fake), jobs: { ratePerSecond: 10, idleMs: 50 } }));
    const start = async () => {
      const stores = await prepareStores(definition(), db);
      service = await startSubgraph(definition(), { db, stores, host: '127.0.0.1', port: 0 });
      return service;
    };

    beforeAll(async () => {
      fake = await startFakeZervigo();
      ({ db, drop } = await freshDb(backend, 'integrations'));
    });
    afterAll(async () => {
      await service?.stop();
      await drop?.();
      await fake?.stop();
    });

    it('resumes from the first pending talent and pushes each talent once', async () => {
      const first = await start();
      await seedSkills(db);
      const talents = [];
      for (let index = 0; index < TALENTS; index++) talents.push((await seedTalent(db, `Restart ${index}`)).id);
      const token = await tokenFor('data_admin');
      const started = await graphql<{ syncAllTalents: { id: string; total: number } }>(new URL('/graphql', first.url).toString(), SYNC_ALL, {}, token);
      expect(codes(started)).toEqual([]);
      const jobId = started.data!.syncAllTalents.id;
      expect(started.data!.syncAllTalents.total).toBe(TALENTS);
      const progress = async (url: string) => (await graphql<{ syncJob: Job }>(new URL('/graphql', url).toString(), JOB, { id: jobId }, token)).data!.syncJob;

      await eventually(() => progress(first.url), (job) => job.done >= 3, 5_000);
      await first.stop();
      const atStop = (await new PlatformSyncStore(db).job(jobId))!;
      expect(atStop.status).toBe('RUNNING');
      expect(atStop.done).toBeGreaterThanOrEqual(3);
      expect(atStop.done).toBeLessThan(TALENTS);
      const pushedBeforeRestart = fake.requests('user').filter((request) => request.method === 'PUT').length;
      // Stopped means stopped: nothing is pushed while the subgraph is down.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(fake.requests('user').filter((request) => request.method === 'PUT')).toHaveLength(pushedBeforeRestart);

      const second = await start();
      const done = await eventually(() => progress(second.url), (job) => job.status === 'COMPLETED', 10_000);
      expect(done).toEqual({ status: 'COMPLETED', total: TALENTS, done: TALENTS, failed: 0, pending: 0 });

      const refs = fake.candidates().map((candidate) => candidate.external_ref);
      expect(refs.sort()).toEqual([...talents].sort());
      const pushes = fake.requests('user').filter((request) => request.method === 'PUT');
      // Each talent pushed exactly once: the restart carried on from the first pending one.
      expect(pushes).toHaveLength(TALENTS);
      expect(new Set(pushes.map((request) => request.path)).size).toBe(TALENTS);
    });
  });
}
