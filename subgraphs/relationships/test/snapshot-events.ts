import { randomUUID } from 'node:crypto';
import type { DemoDataset } from '../../../demo/types.ts';
import type { Db } from '../../../platform/db/db.ts';
import type { DomainEvent } from '../../../platform/events/index.ts';
import { prepareStores } from '../../../platform/subgraph.ts';
import { domains } from '../../index.ts';
import { graphConsumer } from '../projector.ts';

/**
 * What a rebuild of the graph reads: `dataset` loaded into each owner the consumer reads (each on
 * a database from `databaseFor`), then every owner's snapshot as the feed serves it, in the
 * consumer's order of owners. Positions are 0, as for data loaded without events.
 */
export async function snapshotEvents(dataset: DemoDataset, databaseFor: (owner: string) => Promise<Db>): Promise<DomainEvent[]> {
  const events: DomainEvent[] = [];
  const occurredAt = new Date().toISOString();
  for (const owner of graphConsumer.owners) {
    const domain = domains.find((candidate) => candidate.definition.name === owner);
    if (!domain?.loadDemo || !domain.definition.snapshots) throw new Error(`${owner} loads no demo data or serves no snapshot`);
    const stores = await prepareStores(domain.definition, await databaseFor(owner));
    await domain.loadDemo(stores, dataset);
    for (const { aggregate, eventPrefix, page } of domain.definition.snapshots(stores)) {
      for (let after: string | null = null; ; ) {
        const entries = await page(after, 1000);
        for (const { id, payload } of entries) {
          events.push({ id: randomUUID(), type: `${eventPrefix}.snapshot`, source: owner, aggregate: { type: aggregate, id }, payload, occurredAt, position: 0 });
        }
        if (entries.length < 1000) break;
        after = entries.at(-1)!.id;
      }
    }
  }
  return events;
}
