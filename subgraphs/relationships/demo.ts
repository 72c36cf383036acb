import type { DemoDataset } from '../../demo/types.ts';
import type { Stores } from './index.ts';

/**
 * The demo's KNOWS links, the one part of the graph owned here. The rest is drawn from the
 * owners at first start (they bulk-load their demo data without events), which also draws these.
 */
export async function loadDemo(stores: Stores, dataset: DemoDataset): Promise<void> {
  const rows = dataset.acquaintances.map(({ talentId, otherId, strength }) =>
    talentId < otherId ? { talent_id: talentId, other_id: otherId, strength } : { talent_id: otherId, other_id: talentId, strength },
  );
  await stores.db.query(
    `insert into acquaintances (talent_id, other_id, strength)
     select talent_id, other_id, strength from jsonb_to_recordset($1::jsonb) as a(talent_id uuid, other_id uuid, strength float8)
     on conflict do nothing`,
    [JSON.stringify(rows)],
  );
}
