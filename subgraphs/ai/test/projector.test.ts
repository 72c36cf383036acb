import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../../platform/events/index.ts';
import { migrateSubgraph } from '../../../platform/subgraph.ts';
import { freshDb } from '../../../test/support/databases.ts';
import { HashingEmbedder } from '../embedding/hashing.ts';
import type { Stores } from '../index.ts';
import { aiConsumer } from '../projector.ts';
import { Taxonomy } from '../taxonomy.ts';
import { PgVectorStore } from '../vectors/store.pgvector.ts';

/** The consumer's transactions, and what it caches in memory, when applying an event fails. */

const SUBGRAPH = fileURLToPath(new URL('..', import.meta.url));
let position = 0;
const event = (type: 'Skill' | 'Job', id: string, payload: Record<string, unknown>): DomainEvent => ({
  id: randomUUID(),
  type: `${type.toLowerCase()}.updated`,
  source: type === 'Skill' ? 'skills' : 'jobs',
  aggregate: { type, id },
  payload: { id, ...payload },
  occurredAt: new Date().toISOString(),
  position: ++position,
});

describe('the AI consumer when applying an event fails', () => {
  let stores: Stores;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const fresh = await freshDb('pglite', 'projector');
    drop = fresh.drop;
    await migrateSubgraph(fresh.db, SUBGRAPH);
    const taxonomy = new Taxonomy(60_000);
    const embedder = new HashingEmbedder({ skills: () => taxonomy.current.aliases });
    stores = { db: fresh.db, taxonomy, embedder, vectors: await PgVectorStore.open(fresh.db, embedder.model) } as unknown as Stores;
  });
  afterAll(() => drop());

  it('keeps no skill name from the transaction that rolled back', async () => {
    const skillId = randomUUID();
    const apply = (change: DomainEvent) => stores.db.transaction((tx) => aiConsumer.apply(stores, change, tx));
    await apply(event('Skill', skillId, { name: 'Rust', aliases: [] }));
    await apply(event('Job', randomUUID(), { title: 'Systems engineer', status: 'OPEN', requiredSkills: [{ skillId, level: 'ADVANCED' }] }));

    const working = stores.embedder;
    stores.embedder = { ...working, embed: () => Promise.reject(new Error('the embeddings endpoint is down')) };
    try {
      await expect(apply(event('Skill', skillId, { name: 'Rust (renamed)', aliases: [] }))).rejects.toThrow(/endpoint is down/);
    } finally {
      stores.embedder = working;
    }
    expect(stores.taxonomy.current.names.get(skillId)).not.toBe('Rust (renamed)');
    expect((await stores.taxonomy.load(stores.db)).names.get(skillId)).toBe('Rust');
  });
});
