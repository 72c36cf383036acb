import type { Queryable } from '../../platform/db/db.ts';
import { deletedAmong, isDeletion, type DomainEvent } from '../../platform/events/index.ts';
import type { EventConsumer } from '../../platform/events/projection.ts';
import { isId } from '../../platform/validate.ts';
import { renderDocument, type Payload } from './documents.ts';
import type { Stores } from './index.ts';
import { dependents, everyDocument, forgetSource, loadSources, saveSources, type SourceType } from './sources.ts';
import type { EntityRef, SearchDocument, SearchIndex } from './store.ts';

/**
 * Keeps the index in step with the owners' events. Each event carries its aggregate as it now
 * is: the projector saves it as a source, then draws again every document that shows it (a
 * company's rename reaches its jobs, projects and current staff). Replaying an event draws the
 * same documents again, so it changes nothing; the runtime drops an event older than one already
 * applied, or one about a deleted aggregate (platform/events/consumer.ts).
 */

/** The consumer's name: its inbox, its Redis consumer group, its aggregate versions. */
const CONSUMER = 'search';

const SOURCES: readonly SourceType[] = ['Talent', 'Resume', 'Company', 'Job', 'Project', 'Skill'];
const isSource = (type: string): type is SourceType => (SOURCES as readonly string[]).includes(type);

export async function applyEvent(index: SearchIndex, tx: Queryable, event: DomainEvent): Promise<void> {
  const { type, id } = event.aggregate;
  if (!isSource(type) || !isId(id)) return; // e.g. applications: nothing to search
  if (isDeletion(event)) {
    const affected = await dependents(tx, type, id);
    await forgetSource(tx, type, id);
    return redraw(index, tx, affected);
  }
  // A resume that names a deleted talent (their deletion crossed its update) has nothing to show.
  if (type === 'Resume' && (await deletedAmong(tx, CONSUMER, 'Talent', [String(event.payload.talentId)])).size) return;
  await saveSources(tx, [{ type, id, payload: event.payload }]);
  await redraw(index, tx, await dependents(tx, type, id));
}

/** Draws these documents again from their sources; one whose source is gone is removed. */
async function redraw(index: SearchIndex, tx: Queryable, refs: readonly EntityRef[]): Promise<void> {
  const sources = await loadSources(tx, refs);
  const documents: SearchDocument[] = [];
  const gone: EntityRef[] = [];
  for (const ref of refs) {
    const document = renderDocument(ref, sources);
    if (document) documents.push(document);
    else gone.push(ref);
  }
  await index.upsert(documents);
  await index.remove(gone);
}

/** A rebuild: every owner's snapshot saved as sources, then the whole index drawn and swapped in at once. */
async function restore(index: SearchIndex, tx: Queryable, events: readonly DomainEvent[]): Promise<void> {
  const rows = events
    .filter((event) => isSource(event.aggregate.type) && isId(event.aggregate.id))
    .map((event) => ({ type: event.aggregate.type as SourceType, id: event.aggregate.id, payload: event.payload as Payload }));
  for (let start = 0; start < rows.length; start += 500) await saveSources(tx, rows.slice(start, start + 500));
  const refs = await everyDocument(tx);
  const sources = await loadSources(tx, refs);
  const documents = refs.map((ref) => renderDocument(ref, sources)).filter((document): document is SearchDocument => document !== null);
  await index.replaceAll(documents);
}

export const searchConsumer: EventConsumer<Stores> = {
  name: CONSUMER,
  owners: ['skills', 'companies', 'resumes', 'jobs', 'projects'],
  apply: async (stores, event, tx) => {
    await applyEvent(stores.index.within(tx), tx, event);
    if (event.aggregate.type === 'Skill') stores.taxonomy.invalidate();
  },
  reset: async (_stores, tx) => {
    await tx.query('delete from sources');
  },
  restore: async (stores, events, tx) => {
    await restore(stores.index.within(tx), tx, events);
    stores.taxonomy.invalidate();
  },
};
