import { randomUUID } from 'node:crypto';
import { MongoClient, type Db } from 'mongodb';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { DomainEvent } from '../../../platform/events/index.ts';
import { contractSuite } from '../../../test/support/contract.ts';
import { MONGODB_URL, mongodbTarget } from '../../../test/support/mongodb.ts';
import { MongoStores } from '../store.mongo.ts';
import type { ResumeDocument, TalentFields } from '../store.ts';

/**
 * What the MongoDB store does with writes a crash cut short between their steps (no transactions on a standalone
 * server): the crash's leftovers are written as raw documents, then the store is opened again on the database.
 */

const FIELDS: TalentFields = {
  name: 'Ada Lovelace',
  headline: null,
  contact: { email: null, phone: null, linkedin: null, website: null },
  salaryExpectation: null,
  location: null,
  tags: [],
  ownerId: null,
  userId: null,
};
const DOCUMENT: ResumeDocument = { title: 'Analyst', summary: null, education: [], experience: [], skills: [], projects: [], certifications: [] };
/** Older than the store's INTERRUPTED_AFTER_MS: what opening the store treats as cut short. */
const LONG_AGO = Date.now() - 10 * 60_000;

const shape = (events: readonly DomainEvent[]) => events.map(({ type, aggregate }) => ({ type, id: aggregate.id }));

contractSuite('resume store crash recovery', await mongodbTarget(), () => {
  let name: string;
  let client: MongoClient;
  let raw: Db;
  const opened: MongoStores[] = [];
  const open = async () => {
    const stores = await MongoStores.open(`${MONGODB_URL.replace(/\/+$/, '')}/${name}`);
    opened.push(stores);
    return stores;
  };
  /** Every pending event, oldest first, then published. */
  const take = async (stores: MongoStores) => {
    const events = await stores.outbox.pending(10_000);
    await stores.outbox.published(events);
    return events;
  };
  /** A resume as MongoResumeStore.create saves it before claiming its talent: hidden, without its event. */
  const hiddenResume = (talentId: string, creatingSince: number) => {
    const createdAt = new Date(creatingSince);
    return {
      _id: randomUUID(),
      talentId,
      version: 1,
      document: DOCUMENT,
      history: [{ version: 1, document: DOCUMENT, authorId: null, createdAt }],
      createdAt,
      updatedAt: createdAt,
      rev: 0,
      state: 'creating',
      creatingSince,
    };
  };

  beforeEach(async () => {
    name = `resume-recovery-${randomUUID().slice(0, 8)}`;
    client = await new MongoClient(MONGODB_URL).connect();
    raw = client.db(name);
  });
  afterEach(async () => {
    await opened[0]?.drop();
    for (const stores of opened.splice(0)) await stores.close();
    await client.close();
  });

  it('completes a talent deletion cut short: its resumes go with their events, one still being created goes unseen, talent.deleted last', async () => {
    const first = await open();
    const talent = await first.talents.create(FIELDS);
    const older = (await first.resumes.create(talent.id, DOCUMENT, null))!;
    const newer = (await first.resumes.create(talent.id, DOCUMENT, null))!;
    await take(first);
    // The deletion marked the talent and stopped there; a creation had saved its resume hidden and not yet claimed the talent.
    await raw.collection<{ _id: string }>('talents').updateOne({ _id: talent.id }, { $set: { state: 'deleting', deletingSince: LONG_AGO } });
    const hidden = hiddenResume(talent.id, Date.now());
    await raw.collection<{ _id: string }>('resumes').insertOne(hidden);

    const reopened = await open();
    expect(shape(await take(reopened))).toEqual([
      { type: 'resume.deleted', id: older.id },
      { type: 'resume.deleted', id: newer.id },
      { type: 'talent.deleted', id: talent.id },
    ]);
    expect(await reopened.talents.getMany([talent.id])).toEqual([]);
    expect(await reopened.resumes.listByTalents([talent.id])).toEqual([]);
    // Published, the tombstones went too; the hidden resume left nothing behind.
    expect(await raw.collection('resumes').countDocuments()).toBe(0);
    expect(await raw.collection('talents').countDocuments()).toBe(0);
  });

  it('discards a resume whose creation was cut short before it was shown, recording nothing; a recent one is left to its creator until the talent goes', async () => {
    const first = await open();
    const talent = await first.talents.create(FIELDS);
    await take(first);
    const abandoned = hiddenResume(talent.id, LONG_AGO);
    const recent = hiddenResume(talent.id, Date.now());
    await raw.collection<{ _id: string }>('resumes').insertMany([abandoned, recent]);

    const reopened = await open();
    expect(await raw.collection('resumes').distinct('_id')).toEqual([recent._id]);
    expect(await reopened.resumes.listByTalents([talent.id])).toEqual([]);
    expect(await reopened.resumes.getMany([recent._id])).toEqual([]);
    expect([await reopened.resumes.count(), await reopened.resumes.countVersions()]).toEqual([0, 0]);
    expect(await reopened.outbox.pending(10)).toEqual([]);

    // Deleting the talent discards the one still hidden: it was never shown, so it has no event.
    expect(await reopened.talents.delete(talent.id)).toBe(true);
    expect(shape(await take(reopened))).toEqual([{ type: 'talent.deleted', id: talent.id }]);
    expect(await raw.collection('resumes').countDocuments()).toBe(0);
  });
});
